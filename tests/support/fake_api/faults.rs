//! Random fault injection: while a plan is set, each call of a chosen method may fail — the
//! connection dropped without an answer, 429 with `retry_after`, 500, or held open until the
//! client gives up — drawn from a seeded generator, so a failing run can be repeated.

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
    /// At most this many 500s in all (teloxide waits 10 s after each).
    pub max_server_errors: usize,
    /// At most this many calls held open until the client times out (17 s each).
    pub max_timeouts: usize,
    /// One request (the same method and parameters: a retry) fails at most this many times, so
    /// a client that retries a few times always gets through.
    pub max_per_request: usize,
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
        if !self.plan.methods.contains(&method) || !self.rng.random_bool(self.plan.rate) {
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
