use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use reqwest::StatusCode;
use teloxide::payloads::{GetMe, SendMessage};
use teloxide::types::{ChatId, True};
use teloxide::{ApiError, RequestError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::{Api, Failure, GateClosed, Retry, SendGate, parse};

/// What the tiny server does with one request.
#[derive(Clone)]
enum Reply {
    /// An HTTP answer with this status and JSON body.
    Answer(u16, &'static str),
    /// Close the connection without answering.
    Drop,
}

/// A one-purpose HTTP/1.1 server: answers the requests it receives with `script`, in order (the
/// last entry repeats), one request a connection; counts the requests and keeps their paths.
struct Server {
    url: reqwest::Url,
    requests: Arc<AtomicUsize>,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let requests = Arc::new(AtomicUsize::new(0));
        let paths = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (Arc::clone(&requests), Arc::clone(&paths));
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let Some(path) = read_request(&mut socket).await else {
                    continue;
                };
                let n = count.fetch_add(1, Ordering::SeqCst);
                seen.lock().expect("paths").push(path);
                let reply = script[n.min(script.len() - 1)].clone();
                match reply {
                    Reply::Drop => drop(socket),
                    Reply::Answer(status, body) => {
                        let reason = StatusCode::from_u16(status)
                            .ok()
                            .and_then(|s| s.canonical_reason())
                            .unwrap_or("");
                        let head = format!(
                            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(body.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    }
                }
            }
        });
        Server {
            url: format!("http://{addr}/").parse().expect("url"),
            requests,
            paths,
        }
    }

    fn api(&self) -> Api {
        Api::new("123:abc", self.url.clone()).expect("a client")
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `content-length` body); returns its path.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buffer).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    if !name.eq_ignore_ascii_case("content-length") {
                        return None;
                    }
                    value.trim().parse::<usize>().ok()
                })
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return text.split_whitespace().nth(1).map(str::to_owned);
            }
        }
    }
}

const ME: &str = r#"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Bot","username":"the_bot","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false,"has_main_web_app":false}}"#;
const SERVER_ERROR: &str = r#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#;

fn message() -> SendMessage {
    SendMessage::new(ChatId(42), "hi")
}

#[tokio::test]
async fn a_result_is_returned_and_the_method_is_in_the_path() {
    let server = Server::start(vec![Reply::Answer(200, ME)]).await;
    let me = server.api().call(GetMe::new()).await.expect("getMe");
    assert_eq!(me.username(), "the_bot");
    assert_eq!(server.requests(), 1);
    assert_eq!(*server.paths.lock().expect("paths"), ["/bot123:abc/GetMe"]);
}

#[tokio::test]
async fn a_400_is_its_api_error_and_final() {
    let body = r#"{"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}"#;
    let server = Server::start(vec![Reply::Answer(400, body)]).await;
    let result = server.api().try_call(message()).await;
    assert!(
        matches!(
            &result,
            Err(Failure {
                error: RequestError::Api(ApiError::MessageNotModified),
                transient: false
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.requests(), 1, "a 4xx is not retried");
}

#[tokio::test]
async fn a_429_waits_retry_after_and_tries_again() {
    let too_many = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#;
    let server = Server::start(vec![Reply::Answer(429, too_many), Reply::Answer(200, ME)]).await;
    let me = server.api().call(GetMe::new()).await.expect("getMe");
    assert_eq!(me.username(), "the_bot");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_migrated_group_is_reported_at_once() {
    let body = r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-100123}}"#;
    let server = Server::start(vec![Reply::Answer(400, body)]).await;
    let result = server.api().call(message()).await;
    assert!(
        matches!(result, Err(RequestError::MigrateToChatId(ChatId(-100123)))),
        "{result:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_5xx_is_returned_at_once_without_a_pause() {
    let server = Server::start(vec![Reply::Answer(500, SERVER_ERROR)]).await;
    let started = Instant::now();
    let result = server.api().call_once(message()).await;
    assert!(
        matches!(&result, Err(RequestError::Api(ApiError::Unknown(d))) if d == "Internal Server Error"),
        "{result:?}"
    );
    // teloxide's executor paused 10 s here before returning.
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn server_errors_and_dropped_connections_are_retried_until_an_answer() {
    let server = Server::start(vec![
        Reply::Answer(502, "<html>Bad Gateway</html>"),
        Reply::Drop,
        Reply::Answer(500, SERVER_ERROR),
        Reply::Answer(200, r#"{"ok":true,"result":true}"#),
    ])
    .await;
    let result = server
        .api()
        .call(teloxide::payloads::DeleteWebhook::new())
        .await;
    assert!(matches!(result, Ok(True)), "{result:?}");
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn tries_used_up_on_5xx_are_a_transient_failure() {
    let server = Server::start(vec![Reply::Answer(500, SERVER_ERROR)]).await;
    let result = server.api().try_call(message()).await;
    assert!(
        matches!(
            result,
            Err(Failure {
                transient: true,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.requests(), super::ATTEMPTS as usize);
}

#[test]
fn envelopes_are_read_like_telegram_means_them() {
    let retry_of = |status: u16, body: &str| {
        parse::<True>(
            StatusCode::from_u16(status).expect("status"),
            body.as_bytes(),
        )
        .err()
        .map(|attempt| attempt.retry)
    };
    assert!(parse::<True>(StatusCode::OK, br#"{"ok":true,"result":true}"#).is_ok());
    assert_eq!(
        retry_of(
            403,
            r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#
        ),
        Some(Retry::Never)
    );
    assert_eq!(
        retry_of(
            429,
            r#"{"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":7}}"#
        ),
        Some(Retry::After(Duration::from_secs(7)))
    );
    assert_eq!(
        retry_of(
            429,
            r#"{"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":3600}}"#
        ),
        Some(Retry::Never),
        "an hour is not waited inline"
    );
    assert_eq!(retry_of(503, "Service Unavailable"), Some(Retry::Backoff));
    assert_eq!(retry_of(500, SERVER_ERROR), Some(Retry::Backoff));
    let blocked = parse::<True>(
        StatusCode::FORBIDDEN,
        br#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
    );
    assert!(matches!(
        blocked.err().map(|a| a.error),
        Some(RequestError::Api(ApiError::BotBlocked))
    ));
    let garbage = parse::<True>(StatusCode::OK, b"not json");
    assert!(matches!(
        garbage.err().map(|a| (a.error, a.retry)),
        Some((RequestError::InvalidJson { .. }, Retry::Never))
    ));
}

struct Gate {
    open: bool,
    asked: AtomicUsize,
}

impl SendGate for Gate {
    fn open(&self) -> BoxFuture<'_, Result<(), GateClosed>> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let open = self.open;
        Box::pin(async move { if open { Ok(()) } else { Err(GateClosed) } })
    }
}

#[tokio::test]
async fn a_closed_gate_sends_nothing() {
    let server = Server::start(vec![Reply::Answer(200, ME)]).await;
    let gate = Arc::new(Gate {
        open: false,
        asked: AtomicUsize::new(0),
    });
    let api = server.api().with_gate(gate.clone());
    let result = api.try_call(GetMe::new()).await;
    assert!(
        matches!(
            &result,
            Err(Failure {
                error: RequestError::Io(_),
                transient: false
            })
        ),
        "{result:?}"
    );
    assert_eq!(gate.asked.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests(), 0, "no HTTP request made");
    // The client it was cloned from has no gate.
    server.api().call(GetMe::new()).await.expect("ungated");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_open_gate_is_asked_once_per_request_retries_included() {
    let server = Server::start(vec![
        Reply::Answer(500, SERVER_ERROR),
        Reply::Answer(200, ME),
    ])
    .await;
    let gate = Arc::new(Gate {
        open: true,
        asked: AtomicUsize::new(0),
    });
    let api = server.api().with_gate(gate.clone());
    api.call(GetMe::new()).await.expect("getMe");
    assert_eq!(server.requests(), 2);
    assert_eq!(gate.asked.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_download_reads_the_file_path() {
    let server = Server::start(vec![Reply::Answer(200, "0123456789")]).await;
    let bytes = server
        .api()
        .download("documents/a.txt", 100)
        .await
        .expect("download");
    assert_eq!(bytes, b"0123456789");
    assert_eq!(
        *server.paths.lock().expect("paths"),
        ["/file/bot123:abc/documents/a.txt"]
    );
}
