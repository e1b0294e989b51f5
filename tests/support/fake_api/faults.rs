//! Random fault injection: while a plan is set, each call of a chosen method may fail — the
//! connection dropped without an answer, 429 with `retry_after`, 500, or held open until the
//! client gives up — drawn from a seeded generator, so a failing run can be repeated. A dropped
//! connection is closed before any byte of an answer and the request is not performed (nothing
//! is delivered): that is what lets the bot retry it.
//!
//! Two plans: [`Mix::Varied`] (mostly drops and 429s, a bounded number of 500s and timeouts, a
//! request failing at most `max_per_request` times) and [`Mix::Storm`] (exact shares of 500s and
//! drops, every call drawn independently: [`RandomFaults::storm`]).

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use super::Failure;

/// What to inject, see [`super::FakeTelegram::inject_random_faults`].
#[derive(Clone, Debug)]
pub struct RandomFaults {
    pub seed: u64,
    /// The chance that one call fails, 0.0..=1.0.
    pub rate: f64,
    /// The methods that may fail (canonical names).
    pub methods: Vec<&'static str>,
    /// At most this many 500s in all.
    pub max_server_errors: usize,
    /// At most this many calls held open until the client times out (17 s each).
    pub max_timeouts: usize,
    /// One request (the same method and parameters: a retry) fails at most this many times, so
    /// a client that retries a few times always gets through.
    pub max_per_request: usize,
    /// Which faults are drawn.
    pub mix: Mix,
}

/// Which faults a plan draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Mix {
    /// With probability `rate`: a drop (12 in 20), a 429 (6 in 20), a 500 or a timeout (1 in 20
    /// each, within their maxima).
    Varied,
    /// Each call independently: 500 with probability `server_errors`, else a drop with
    /// probability `drops` (of all calls); `rate` and the maxima do not apply.
    Storm { server_errors: f64, drops: f64 },
}

impl RandomFaults {
    /// A Bot API in trouble: `server_errors` of the calls of `methods` answered 500, `drops` of
    /// them closed without an answer.
    pub fn storm(seed: u64, server_errors: f64, drops: f64, methods: Vec<&'static str>) -> Self {
        Self {
            seed,
            rate: server_errors + drops,
            methods,
            max_server_errors: usize::MAX,
            max_timeouts: 0,
            max_per_request: usize::MAX,
            mix: Mix::Storm {
                server_errors,
                drops,
            },
        }
    }
}

/// How many faults were injected, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InjectedFaults {
    pub dropped_connections: usize,
    pub too_many_requests: usize,
    pub server_errors: usize,
    pub timeouts: usize,
}

impl InjectedFaults {
    pub fn total(&self) -> usize {
        self.dropped_connections + self.too_many_requests + self.server_errors + self.timeouts
    }
}

pub(super) struct Injector {
    plan: RandomFaults,
    rng: StdRng,
    pub(super) injected: InjectedFaults,
    per_request: HashMap<u64, usize>,
}

impl Injector {
    pub(super) fn new(plan: RandomFaults) -> Self {
        Self {
            rng: StdRng::seed_from_u64(plan.seed),
            plan,
            injected: InjectedFaults::default(),
            per_request: HashMap::new(),
        }
    }

    /// The fault for this call, if one is drawn.
    pub(super) fn draw(&mut self, method: &str, params: &Value) -> Option<Failure> {
        if !self.plan.methods.contains(&method) {
            return None;
        }
        if let Mix::Storm {
            server_errors,
            drops,
        } = self.plan.mix
        {
            let draw: f64 = self.rng.random();
            return if draw < server_errors {
                self.injected.server_errors += 1;
                Some(Failure::ServerError)
            } else if draw < server_errors + drops {
                self.injected.dropped_connections += 1;
                Some(Failure::DropConnection)
            } else {
                None
            };
        }
        if !self.rng.random_bool(self.plan.rate) {
            return None;
        }
        let mut hasher = DefaultHasher::new();
        method.hash(&mut hasher);
        params.to_string().hash(&mut hasher);
        let failures = self.per_request.entry(hasher.finish()).or_default();
        if *failures >= self.plan.max_per_request {
            return None;
        }
        let failure = match self.rng.random_range(0..20) {
            0 if self.injected.timeouts < self.plan.max_timeouts => Failure::Timeout,
            1 if self.injected.server_errors < self.plan.max_server_errors => Failure::ServerError,
            2..=7 => Failure::TooManyRequests { retry_after: 1 },
            _ => Failure::DropConnection,
        };
        *failures += 1;
        match failure {
            Failure::Timeout => self.injected.timeouts += 1,
            Failure::ServerError => self.injected.server_errors += 1,
            Failure::TooManyRequests { .. } => self.injected.too_many_requests += 1,
            _ => self.injected.dropped_connections += 1,
        }
        Some(failure)
    }
}
