//! Fixed-window rate limits per client address and per target (a contact, an order number),
//! in memory. Behind a load balancer each instance counts for itself; a shared store is a later
//! step when Portico runs on several machines.

use std::collections::HashMap;
use std::sync::Mutex;

/// What is limited, how often, per how long.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub limit: u32,
    pub window_secs: i64,
}

pub const CODE_PER_CONTACT: Rule = Rule {
    name: "code-contact",
    limit: 5,
    window_secs: 15 * 60,
};
pub const CODE_PER_IP: Rule = Rule {
    name: "code-ip",
    limit: 20,
    window_secs: 15 * 60,
};
pub const VERIFY_PER_IP: Rule = Rule {
    name: "verify-ip",
    limit: 60,
    window_secs: 15 * 60,
};
pub const LOOKUP_PER_IP: Rule = Rule {
    name: "lookup-ip",
    limit: 20,
    window_secs: 15 * 60,
};
pub const LOOKUP_PER_ORDER: Rule = Rule {
    name: "lookup-order",
    limit: 10,
    window_secs: 15 * 60,
};

/// (rule, key) -> (window start, hits in it)
type Windows = HashMap<(&'static str, String), (i64, u32)>;

pub struct RateLimiter {
    factor: u32,
    windows: Mutex<Windows>,
}

impl RateLimiter {
    pub fn new(factor: u32) -> Self {
        Self {
            factor: factor.max(1),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one hit; `Err(seconds)` says when the window reopens.
    pub fn hit(&self, rule: Rule, key: &str, now: i64) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now - *start < rule.window_secs);
        }
        let entry = windows
            .entry((rule.name, key.to_string()))
            .or_insert((now, 0));
        if now - entry.0 >= rule.window_secs {
            *entry = (now, 0);
        }
        if entry.1 >= rule.limit.saturating_mul(self.factor) {
            return Err((entry.0 + rule.window_secs - now).max(1) as u64);
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_fills_and_reopens() {
        let limiter = RateLimiter::new(1);
        let rule = Rule {
            name: "t",
            limit: 2,
            window_secs: 60,
        };
        assert!(limiter.hit(rule, "a", 0).is_ok());
        assert!(limiter.hit(rule, "a", 1).is_ok());
        assert_eq!(limiter.hit(rule, "a", 10), Err(50));
        assert!(limiter.hit(rule, "b", 10).is_ok());
        assert!(limiter.hit(rule, "a", 60).is_ok());
    }
}
