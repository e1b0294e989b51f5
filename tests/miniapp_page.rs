//! The Mini App in a real browser: headless Chromium (the distribution's) opens the page as
//! Telegram would — the signed launch data in the fragment, 360×740, no internet, so without
//! Telegram's script — and the week and the student's place in the queue are on it. A
//! screenshot is kept under the target directory (its path is printed).
//!
//! Without Chromium the test says so and passes, except in CI (`CI` set), where it fails.

mod support;

use std::path::PathBuf;

use support::app::{Backend, TestApp};
use support::miniapp::{call, chromium, headless, launch, page_url, scene};

both_backends!(
    the_week_and_the_place_are_on_the_page,
    |backend: Backend| async move {
        let Some(chromium) = chromium() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs Chromium for the Mini App's browser test (apt-get install chromium)"
            );
            eprintln!("skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)");
            return;
        };
        let app = TestApp::spawn(backend).await;
        let scene = scene(&app).await;
        let now = app.clock_now();
        let join = format!("/app/api/queues/{}/join", scene.queue);
        let (status, _) = call(
            &app,
            "POST",
            &join,
            Some(&launch(&app, scene.leader.id(), now)),
        )
        .await;
        assert_eq!(status, 200);
        let member = launch(&app, scene.member.id(), now);
        let (status, _) = call(&app, "POST", &join, Some(&member)).await;
        assert_eq!(status, 200);
        let url = page_url(&app, &member);

        // The page's requests are over when the virtual time budget runs out: no sleeping.
        let dom = headless(
            &chromium,
            &url,
            &[
                "--dump-dom".to_owned(),
                "--virtual-time-budget=10000".to_owned(),
            ],
        )
        .await;
        assert!(
            dom.contains("data-week-rendered-ms="),
            "the week was drawn: {dom}"
        );
        assert!(
            dom.contains("Математический анализ"),
            "Monday's class: {dom}"
        );
        assert!(dom.contains("Физика"), "Wednesday's class: {dom}");
        assert!(
            dom.contains(r#"class="day today""#),
            "today is marked: {dom}"
        );
        assert!(
            dom.contains("Ваше место: 2 из 2"),
            "the place in the queue: {dom}"
        );
        assert!(dom.contains(r#"data-position="2""#), "{dom}");
        // The place is on the week's own screen, above the days (not only on its tab).
        let summary = dom
            .split(r#"<section id="summary""#)
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap_or_default();
        assert!(
            summary.contains("Ваше место: 2 из 2") && !summary.contains("hidden"),
            "the place shown above the week: {summary}"
        );
        assert!(dom.contains("Графы"), "the topics: {dom}");

        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("miniapp");
        std::fs::create_dir_all(&dir).expect("the screenshot's directory");
        let shot = dir.join(format!("week-{backend:?}.png").to_lowercase());
        let _ = std::fs::remove_file(&shot);
        headless(
            &chromium,
            &url,
            &[
                format!("--screenshot={}", shot.display()),
                "--virtual-time-budget=10000".to_owned(),
            ],
        )
        .await;
        let png = std::fs::read(&shot).expect("the screenshot was written");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
        eprintln!("screenshot: {}", shot.display());
    }
);
