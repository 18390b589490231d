// Portico's widget loader, served as /widget.js. A partner embeds it with one tag:
//   <script src="https://HOST/widget.js" data-partner="pk_..." async></script>
// It draws a launcher button in a Shadow DOM and loads the widget's WebAssembly only when a
// visitor opens it (or, for <portico-widget feature="lookup">, when that element nears the
// viewport). Plain JavaScript, no dependencies; scripts/widget.py fills in the bundle's names.
(() => {
  if (window.Portico) return;
  const script = document.currentScript;
  const base = new URL(".", script.src).href.replace(/\/$/, "");
  const partner = script.dataset.partner || "";
  const asked = script.dataset.locale || null;
  const english = (asked || navigator.language || "").toLowerCase().startsWith("en");
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(
    '.launcher{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;display:inline-block;' +
      'font:600 15px/1.2 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;' +
      "background:var(--portico-accent,var(--portico-partner-accent,#0b5cad));color:var(--portico-accent-contrast,#fff);" +
      "border-radius:999px;padding:12px 18px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
      ".launcher:focus-visible{outline:3px solid #f0a500;outline-offset:2px}" +
      ".waiting{all:initial;display:block;min-height:48px}",
  );
  let bundle = null;
  let launcher = null;
  let identity = null;
  const load = () =>
    (bundle ||= import(base + "/widget/__GLUE__")
      .then(async (mod) => {
        await mod.default({ module_or_path: base + "/widget/__WASM__" });
        if (identity) mod.identify(identity);
        return mod;
      })
      .catch((error) => {
        bundle = null;
        throw error;
      }));
  const fire = (name) => launcher.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));

  class PorticoWidget extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const shadow = this.attachShadow({ mode: "open" });
      shadow.adoptedStyleSheets = [sheet];
      const feature = this.getAttribute("feature");
      const key = this.getAttribute("partner") || partner;
      if (feature) {
        const waiting = document.createElement("div");
        waiting.className = "waiting";
        shadow.append(waiting);
        const seen = new IntersectionObserver(
          (entries) => {
            if (!entries.some((e) => e.isIntersecting)) return;
            seen.disconnect();
            load().then((mod) => {
              waiting.remove();
              mod.mount_inline(this, shadow, base, key, asked, feature);
            });
          },
          { rootMargin: "200px" },
        );
        seen.observe(this);
        return;
      }
      const button = document.createElement("button");
      button.type = "button";
      button.className = "launcher";
      button.part = "launcher";
      button.setAttribute("aria-haspopup", "dialog");
      button.textContent = english ? "Help and feedback" : "帮助与反馈";
      button.addEventListener("click", () => window.Portico.open());
      this.addEventListener("portico:close", () => button.focus());
      shadow.append(button);
      launcher = this;
    }
  }

  const launcherElement = () => {
    if (!launcher) document.body.append(document.createElement("portico-widget"));
    return launcher;
  };

  window.Portico = {
    /** Opens the panel, on `feature` ("lookup", "feedback", "survey") when given. */
    async open(feature, survey) {
      const host = launcherElement();
      const mod = await load();
      mod.open_panel(host, host.shadowRoot, base, partner, asked, feature || null, survey || null);
      fire("portico:open");
    },
    /** Opens the panel on the survey of invitation `token` (from the visitor's survey link). */
    survey(token) {
      return this.open("survey", token);
    },
    close() {
      if (bundle) bundle.then((mod) => mod.close_panel());
    },
    /** `token`: an identity token the partner's backend signed for this visitor (tier badge). */
    identify(token) {
      identity = token || null;
      if (bundle) bundle.then((mod) => mod.identify(identity));
    },
  };

  const start = () => {
    customElements.define("portico-widget", PorticoWidget);
    const host = launcherElement();
    document.dispatchEvent(new CustomEvent("portico:ready"));
    // Feedback written offline on an earlier visit is sent now: the wasm loads only then.
    let kept = false;
    try {
      kept = Object.keys(localStorage).some((k) => k.startsWith("portico-widget:feedback:" + partner + ":"));
    } catch (_) {}
    if (kept) load().then((mod) => mod.resend(host, host.shadowRoot, base, partner));
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
