#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd): stores every message it accepts as a file.

    sink.py --dir DIR [--port 0] [--user U --password P]

Prints the port it listens on (one line), then serves until killed. Each accepted message is
DIR/NNNNNN.eml, the bytes as received (headers and MIME body), written whole (a temporary file
renamed). With --user/--password it offers AUTH (also without TLS: it runs on loopback) and
refuses mail from a client that did not authenticate. Writing a number N into DIR/refuse makes it
refuse the next N messages with a temporary failure (451), as a busy or greylisting server does.
"""

import argparse
import asyncio
import itertools
import logging
import os
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)

    def refuse_this_one(self):
        path = os.path.join(self.folder, "refuse")
        try:
            with open(path) as f:
                left = int(f.read().strip() or 0)
        except (FileNotFoundError, ValueError):
            return False
        if left <= 0:
            return False
        with open(path + ".tmp", "w") as f:
            f.write(str(left - 1))
        os.replace(path + ".tmp", path)
        return True

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_this_one():
            return "451 4.3.0 Try again later"
        name = os.path.join(self.folder, "%06d.eml" % next(self.numbers))
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".tmp", name)
        return "250 OK"


def main():
    # Plain AUTH without TLS is this sink's point (loopback only): no warning about it.
    warnings.filterwarnings("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir)
    auth = {}
    if args.user is not None:

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and (
                data.login.decode() == args.user and data.password.decode() == args.password
            )
            return AuthResult(success=ok, handled=False)

        auth = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTP(sink, hostname="sink.test", **auth), args.host, args.port
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
