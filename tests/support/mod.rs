//! Helpers shared by the end-to-end tests (`mod support;` in `tests/*.rs`) and
//! the benchmarks (`#[path = "../tests/support/mod.rs"] mod support;`).
//!
//! Not every test binary uses every helper.
#![allow(dead_code)]

pub mod app;
pub mod binary;
pub mod fake_api;
pub mod fixtures;
pub mod handled;
pub mod http;
pub mod ics;
pub mod miniapp;
pub mod student;
