//! Mini App benchmark: what the page weighs and how soon the week is on the screen.
//!
//! The bot runs in-process (the same `App` the binary starts) on SQLite, with a group that has
//! a timetable, a queue the student stands in and a topic list (`tests/support/miniapp.rs`).
//! - weight: the bytes a launch transfers — the page (HTML with its CSS and JS inlined) and
//!   the four API answers it asks for (`me`, `week`, `queues`, `topics`), headers included;
//!   nothing is compressed, so this is also what goes over the wire;
//! - first render of the week: headless Chromium opens the page at 360×740 as Telegram would
//!   (launch data in the fragment, a fresh profile each run, no internet, so without
//!   Telegram's script); the page records `performance.now()` — milliseconds since navigation
//!   started — when the week is drawn, and the benchmark reads it from the DOM. Chromium's
//!   virtual time (what lets `--dump-dom` wait for the page's requests without a sleep) stands
//!   still while a request is in flight, so that figure is the browser's own work; the waits
//!   on the server are measured as real requests over loopback — the page, then `me` and
//!   `week` together, as the page asks for them — and added: `first_render` = `browser` +
//!   `server`.
//!
//! Prints one JSON object.
//!
//! `cargo bench --bench miniapp -- [--runs N]`

#[path = "../tests/support/mod.rs"]
mod support;

mod common;

use std::time::Duration;

use anyhow::Context;
use support::app::{Backend, TestApp};
use support::miniapp::{call, chromium, headless, launch, page_url, scene};

fn main() -> anyhow::Result<()> {
    let mut runs = 20usize;
    let mut args = common::Args::from_env();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.value(&arg)?,
            other => common::unknown(other)?,
        }
    }
    common::runtime()?.block_on(run(runs))
}

/// The page's requests on its critical path, for real: the document, then `me` and `week`
/// at once.
async fn server_path(addr: std::net::SocketAddr, auth: &str) -> anyhow::Result<Duration> {
    let get = |path: &'static str, authorised: bool| async move {
        let headers: Vec<(&str, &str)> = if authorised {
            vec![("Authorization", auth)]
        } else {
            Vec::new()
        };
        support::http::request("GET", &format!("http://{addr}{path}"), &headers, b"")
            .await
            .map_err(anyhow::Error::msg)
    };
    let start = std::time::Instant::now();
    get("/app/", false).await?;
    let (me, week) = futures::join!(get("/app/api/me", true), get("/app/api/week", true));
    anyhow::ensure!(me?.status == 200 && week?.status == 200, "the API refused");
    Ok(start.elapsed())
}

async fn run(runs: usize) -> anyhow::Result<()> {
    let chromium = chromium().context("the benchmark needs Chromium (apt-get install chromium)")?;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let scene = scene(&app).await;
    let now = app.clock_now();
    let member = launch(&app, scene.member.id(), now);
    let join = format!("/app/api/queues/{}/join", scene.queue);
    call(
        &app,
        "POST",
        &join,
        Some(&launch(&app, scene.leader.id(), now)),
    )
    .await;
    call(&app, "POST", &join, Some(&member)).await;

    let addr = app.http_addr.context("started")?;
    let auth = format!("tma {member}");
    let mut weight = serde_json::Map::new();
    let mut total = 0usize;
    for (name, path, authorised) in [
        ("page", "/app/", false),
        ("me", "/app/api/me", true),
        ("week", "/app/api/week", true),
        ("queues", "/app/api/queues", true),
        ("topics", "/app/api/topics", true),
    ] {
        let headers: Vec<(&str, &str)> = if authorised {
            vec![("Authorization", auth.as_str())]
        } else {
            Vec::new()
        };
        let response =
            support::http::request("GET", &format!("http://{addr}{path}"), &headers, b"")
                .await
                .map_err(anyhow::Error::msg)?;
        anyhow::ensure!(response.status == 200, "{path}: {}", response.status);
        let head: usize = response
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 4)
            .sum::<usize>()
            + 17;
        let bytes = head + response.body.len();
        total += bytes;
        weight.insert(
            name.to_owned(),
            serde_json::json!({"body": response.body.len(), "with_headers": bytes}),
        );
    }
    weight.insert("total".to_owned(), total.into());

    let url = page_url(&app, &member);
    let (mut browser, mut server, mut first) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let wait = "--virtual-time-budget=10000".to_owned();
        let dom = headless(&chromium, &url, &["--dump-dom".to_owned(), wait]).await;
        let ms: f64 = dom
            .split("data-week-rendered-ms=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|ms| ms.parse().ok())
            .context("the week was not drawn")?;
        let own = Duration::from_secs_f64(ms / 1000.0);
        let waits = server_path(addr, &auth).await?;
        browser.push(own);
        server.push(waits);
        first.push(own + waits);
    }
    let report = serde_json::json!({
        "weight_bytes": weight,
        "first_render_of_the_week_ms": common::summary(first),
        "browser_ms": common::summary(browser),
        "server_ms": common::summary(server),
        "chromium": std::process::Command::new(&chromium).arg("--version").output().ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
