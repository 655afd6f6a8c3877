//! The lane every load and plain save takes: one pipelined connection of the backend's own,
//! speaking just enough of the Redis protocol for `GET` and `SET`.
//!
//! Loads and the common save are the only commands on every request. Through the general
//! client each costs several times the work of the command itself (routing, frame
//! conversions, a task hop each way); here a command is a few bytes appended to the next write,
//! and its answer is handed back straight from the read buffer. Everything else — scripts,
//! scans, admin queries — keeps using the general client.
//!
//! One task owns the connection. Requests queue on a channel; the task, woken by the first,
//! lets the other runnable tasks go first (they may queue commands too), then writes whatever
//! has queued in one go, and hands answers to requests in order: Redis answers the commands of a
//! connection once each, in the order it received them. Anything unexpected on the connection
//! — an I/O error, a reply it cannot parse, a reply when no command waits — fails every command
//! waiting on it and drops the connection rather than guess which answer is whose; the next
//! command connects again. While the server cannot be reached, commands fail at once, and a new
//! connection is tried after 50 ms, then at most every [`RETRY_AFTER_MAX`].
//!
//! The lane does not time out commands itself: callers bound them with the backend's
//! [`Deadlines`](super::deadline::Deadlines). An answer that comes after its command was given
//! up is read and dropped, so later answers still meet their commands. But a connection on
//! which commands have waited a whole timeout without a single answer is replaced when the
//! next commands come (see [`Connection::serve`]).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use fred::bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::Error;

/// Commands the task takes from the queue at once.
const BATCH: usize = 128;
/// The longest wait between connection attempts while the server is unreachable.
const RETRY_AFTER_MAX: Duration = Duration::from_secs(1);
/// The first wait after a failed connection attempt (doubling up to [`RETRY_AFTER_MAX`]).
const RETRY_AFTER_MIN: Duration = Duration::from_millis(50);
/// Room for one read of answers.
const READ_ROOM: usize = 16 * 1024;
/// The longest reply line (`+…`, `-…`, `$…`) read before the connection counts as broken.
const MAX_LINE: usize = 64 * 1024;
/// The longest bulk string a reply may announce: Redis's own default `proto-max-bulk-len`. A
/// longer announcement is a broken connection, not a reason to set that much memory aside.
const MAX_BULK: usize = 512 * 1024 * 1024;
/// The most set aside at once for a bulk string still on its way.
const MAX_RESERVE: usize = 1024 * 1024;

/// Where and how to connect: a single server, over plain TCP.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub database: Option<u8>,
    /// How long connecting (and authenticating) may take.
    pub connect_timeout: Duration,
    /// How long commands may wait with no answer at all before the connection counts as
    /// broken (zero: as long as it takes).
    pub answer_timeout: Duration,
}

/// A reply the lane understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reply {
    /// `$-1`: no value (`GET` of a missing key, `SET … XX` of a missing key).
    Nil,
    /// A bulk string (`GET`'s value).
    Bulk(Bytes),
    /// A status line (`+OK`).
    Status(String),
}

/// The lane's handle, owned by the backend: the connection task ends when it is dropped
/// (after answering the commands on their way).
#[derive(Debug)]
pub(super) struct Lane {
    requests: mpsc::UnboundedSender<Request>,
}

struct Request {
    command: Vec<u8>,
    reply: oneshot::Sender<Result<Reply, Error>>,
}

impl Lane {
    /// Starts the connection task on the current Tokio runtime. It connects when the first
    /// command comes.
    pub(super) fn start(target: Target) -> Lane {
        let (requests, queue) = mpsc::unbounded_channel();
        tokio::spawn(supervise(queue, move |queue| drive(target.clone(), queue)));
        Lane { requests }
    }

    /// `GET key`, the key given as the parts it is made of.
    pub(super) fn get(&self, key: &[&[u8]]) -> Call {
        let mut command = Vec::with_capacity(128);
        command.extend_from_slice(b"*2\r\n$3\r\nGET\r\n");
        bulk(&mut command, key);
        self.send(command)
    }

    /// `SET key value PXAT at XX`: replaces the value of a key that exists, with the deletion
    /// time `at` (Unix milliseconds); [`Reply::Nil`] when the key does not exist.
    pub(super) fn set_existing(&self, key: &[&[u8]], value: &[u8], at: i64) -> Call {
        let mut command = Vec::with_capacity(192 + value.len());
        command.extend_from_slice(b"*6\r\n$3\r\nSET\r\n");
        bulk(&mut command, key);
        bulk(&mut command, &[value]);
        command.extend_from_slice(b"$4\r\nPXAT\r\n");
        bulk(&mut command, &[itoa::Buffer::new().format(at).as_bytes()]);
        command.extend_from_slice(b"$2\r\nXX\r\n");
        self.send(command)
    }

    fn send(&self, command: Vec<u8>) -> Call {
        let (reply, answer) = oneshot::channel();
        // A closed queue means the task is gone; the dropped sender then fails the call.
        let _ = self.requests.send(Request { command, reply });
        Call { answer }
    }
}

/// Appends one bulk string: `parts`, one after the other.
fn bulk(out: &mut Vec<u8>, parts: &[&[u8]]) {
    let length: usize = parts.iter().map(|part| part.len()).sum();
    out.push(b'$');
    out.extend_from_slice(itoa::Buffer::new().format(length).as_bytes());
    out.extend_from_slice(b"\r\n");
    for part in parts {
        out.extend_from_slice(part);
    }
    out.extend_from_slice(b"\r\n");
}

/// A command on its way: resolves to its reply, or the error that failed it.
#[derive(Debug)]
pub(super) struct Call {
    answer: oneshot::Receiver<Result<Reply, Error>>,
}

impl Future for Call {
    type Output = Result<Reply, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(match ready!(Pin::new(&mut self.answer).poll(cx)) {
            Ok(result) => result,
            Err(_) => Err(Error::Unavailable(
                "the Redis connection task has stopped".into(),
            )),
        })
    }
}

/// The queue of commands, shared by the connection task and its supervisor.
type Queue = Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Request>>>;

/// Runs the connection task, and runs it again should it ever panic: the queue outlives the
/// task, so a bug in the task costs the commands it held (they fail), never the lane.
async fn supervise<Run, Task>(queue: mpsc::UnboundedReceiver<Request>, run: Run)
where
    Run: Fn(Queue) -> Task,
    Task: Future<Output = ()> + Send + 'static,
{
    let queue = Arc::new(tokio::sync::Mutex::new(queue));
    loop {
        let task = tokio::spawn(run(queue.clone()));
        match task.await {
            Ok(()) => return,
            Err(failure) if failure.is_panic() => {
                tracing::error!("the Redis connection task panicked; starting it again");
            }
            // Cancelled: the runtime is shutting down.
            Err(_) => return,
        }
    }
}

/// Runs the lane: connects when there is work, serves the connection until it breaks, and
/// connects again for the next command.
async fn drive(target: Target, queue: Queue) {
    let mut queue = queue.lock_owned().await;
    let mut batch = Vec::with_capacity(BATCH);
    let mut retry_after = RETRY_AFTER_MIN;
    let mut next_attempt = Instant::now();
    let mut last_failure = String::new();
    loop {
        // A connection that broke may leave commands that were never sent: they go first.
        if batch.is_empty() && queue.recv_many(&mut batch, BATCH).await == 0 {
            return;
        }
        if Instant::now() < next_attempt {
            fail(batch.drain(..).map(|r| r.reply), &last_failure);
            continue;
        }
        let stream = match connect(&target).await {
            Ok(stream) => {
                retry_after = RETRY_AFTER_MIN;
                stream
            }
            Err(error) => {
                last_failure = error;
                fail(batch.drain(..).map(|r| r.reply), &last_failure);
                next_attempt = Instant::now() + retry_after;
                retry_after = (retry_after * 2).min(RETRY_AFTER_MAX);
                continue;
            }
        };
        let mut connection = Connection::new(stream);
        let broken = connection
            .serve(&mut queue, &mut batch, target.answer_timeout)
            .await;
        match broken {
            None => return,
            Some(reason) => {
                tracing::warn!(%reason, "Redis connection lost; reconnecting on the next command");
                fail(connection.waiting.drain(..), &reason);
            }
        }
    }
}

fn fail(waiting: impl Iterator<Item = oneshot::Sender<Result<Reply, Error>>>, reason: &str) {
    for reply in waiting {
        let _ = reply.send(Err(Error::Unavailable(format!("Redis: {reason}").into())));
    }
}

/// Connects, authenticates and selects the database, within the connect timeout.
async fn connect(target: &Target) -> Result<TcpStream, String> {
    let attempt = async {
        let mut stream = TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| format!("cannot connect to {}:{}: {e}", target.host, target.port))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let mut setup = Vec::new();
        let mut expected = 0;
        if let Some(password) = &target.password {
            match &target.username {
                Some(user) => {
                    setup.extend_from_slice(b"*3\r\n$4\r\nAUTH\r\n");
                    bulk(&mut setup, &[user.as_bytes()]);
                }
                None => setup.extend_from_slice(b"*2\r\n$4\r\nAUTH\r\n"),
            }
            bulk(&mut setup, &[password.as_bytes()]);
            expected += 1;
        }
        if let Some(database) = target.database.filter(|&db| db != 0) {
            setup.extend_from_slice(b"*2\r\n$6\r\nSELECT\r\n");
            bulk(
                &mut setup,
                &[itoa::Buffer::new().format(database).as_bytes()],
            );
            expected += 1;
        }
        if expected > 0 {
            stream.write_all(&setup).await.map_err(|e| e.to_string())?;
            let mut input = BytesMut::with_capacity(256);
            let mut answered = 0;
            while answered < expected {
                match parse(&mut input) {
                    Ok(Some(Ok(_))) => answered += 1,
                    Ok(Some(Err(refused))) => return Err(format!("refused: {refused}")),
                    Ok(None) => {
                        if stream
                            .read_buf(&mut input)
                            .await
                            .map_err(|e| e.to_string())?
                            == 0
                        {
                            return Err("connection closed while connecting".into());
                        }
                    }
                    Err(malformed) => return Err(malformed),
                }
            }
        }
        Ok(stream)
    };
    match tokio::time::timeout(target.connect_timeout, attempt).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "no connection to {}:{} within {:?}",
            target.host, target.port, target.connect_timeout
        )),
    }
}

/// One live connection and the commands waiting for its answers, oldest first.
struct Connection {
    stream: TcpStream,
    waiting: VecDeque<oneshot::Sender<Result<Reply, Error>>>,
    output: Vec<u8>,
    input: BytesMut,
}

impl Connection {
    fn new(stream: TcpStream) -> Self {
        Connection {
            stream,
            waiting: VecDeque::new(),
            output: Vec::with_capacity(READ_ROOM),
            input: BytesMut::with_capacity(READ_ROOM),
        }
    }

    /// Serves until the connection breaks (returns why) or the queue closes (`None`).
    ///
    /// A connection on which commands have waited `answer_timeout` with no answer at all
    /// counts as broken when the next commands come, which then go to a new connection: a
    /// server that failed over, or a connection a network device dropped without a word,
    /// would otherwise keep every command waiting until TCP gives up, many minutes later.
    async fn serve(
        &mut self,
        queue: &mut mpsc::UnboundedReceiver<Request>,
        batch: &mut Vec<Request>,
        answer_timeout: Duration,
    ) -> Option<String> {
        let Connection {
            stream,
            waiting,
            output,
            input,
        } = self;
        for request in batch.drain(..) {
            enqueue(request, output, waiting);
        }
        // The last answer, or when commands last started waiting on a connection that owed
        // none.
        let mut progress = Instant::now();
        let (mut reader, mut writer) = stream.split();
        let mut open = true;
        loop {
            // Values handed out keep their part of the buffer: make room for a full read.
            if input.capacity() - input.len() < READ_ROOM / 4 {
                input.reserve(READ_ROOM);
            }
            tokio::select! {
                biased;
                read = reader.read_buf(input) => match read {
                    Ok(0) => return Some("the server closed the connection".into()),
                    Ok(_) => match answer(input, waiting) {
                        Ok(0) => {}
                        Ok(_) => progress = Instant::now(),
                        Err(reason) => return Some(reason),
                    },
                    Err(error) => return Some(error.to_string()),
                },
                written = writer.write(output), if !output.is_empty() => match written {
                    Ok(0) => return Some("the connection stopped taking writes".into()),
                    Ok(n) => {
                        output.drain(..n);
                    }
                    Err(error) => return Some(error.to_string()),
                },
                taken = queue.recv_many(batch, BATCH), if open => {
                    if taken == 0 {
                        open = false;
                    } else {
                        if waiting.is_empty() {
                            progress = Instant::now();
                        } else if !answer_timeout.is_zero() && progress.elapsed() > answer_timeout {
                            // The new commands stay in `batch` for the next connection.
                            return Some(format!("no answer within {answer_timeout:?}"));
                        }
                        let idle = output.is_empty();
                        for request in batch.drain(..) {
                            enqueue(request, output, waiting);
                        }
                        if idle {
                            // Let the requests that are ready to run queue their commands
                            // too, then write them all at once: under load a write then
                            // carries about a dozen commands, and Redis wakes once for them.
                            tokio::task::yield_now().await;
                            while let Ok(request) = queue.try_recv() {
                                enqueue(request, output, waiting);
                            }
                        }
                    }
                },
            }
            if !open && waiting.is_empty() && output.is_empty() {
                return None;
            }
        }
    }
}

/// Puts a command on the way: its bytes to the output, its reply in line.
fn enqueue(
    request: Request,
    output: &mut Vec<u8>,
    waiting: &mut VecDeque<oneshot::Sender<Result<Reply, Error>>>,
) {
    output.extend_from_slice(&request.command);
    waiting.push_back(request.reply);
}

/// Hands every complete reply in `input` to the oldest waiting command; returns how many.
fn answer(
    input: &mut BytesMut,
    waiting: &mut VecDeque<oneshot::Sender<Result<Reply, Error>>>,
) -> Result<usize, String> {
    let mut answered = 0;
    while let Some(reply) = parse(input)? {
        let oldest = waiting
            .pop_front()
            .ok_or("a reply came that no command asked for")?;
        let _ = oldest.send(reply.map_err(server_error));
        answered += 1;
    }
    Ok(answered)
}

/// An error reply as this crate's error: a busy or loading server is unavailable, a key of
/// another type (an older layout) is not migrated.
fn server_error(message: String) -> Error {
    if message.starts_with("LOADING") || message.starts_with("BUSY") {
        Error::Unavailable(format!("Redis: {message}").into())
    } else if message.starts_with("WRONGTYPE") {
        Error::NotMigrated
    } else {
        Error::Backend(format!("Redis: {message}").into())
    }
}

/// Takes one complete reply off the front of `input`: `Ok(None)` when it is not all there yet,
/// `Ok(Some(Err(message)))` for an error reply, `Err` for input that is not a reply the lane
/// understands (the connection is then useless).
fn parse(input: &mut BytesMut) -> Result<Option<Result<Reply, String>>, String> {
    let Some(end) = memchr::memchr(b'\n', input) else {
        return if input.len() > MAX_LINE {
            Err("a reply line too long".into())
        } else {
            Ok(None)
        };
    };
    if end == 0 || input[end - 1] != b'\r' {
        return Err("a reply line without CRLF".into());
    }
    if end == 1 {
        return Err("an empty reply line".into());
    }
    let line = &input[1..end - 1];
    let text = || String::from_utf8_lossy(line).into_owned();
    let reply = match input[0] {
        b'+' => Ok(Reply::Status(text())),
        b'-' => Err(text()),
        b'$' => {
            let length = number(line)?;
            if length == -1 {
                Ok(Reply::Nil)
            } else {
                let length = usize::try_from(length).map_err(|_| "a negative length")?;
                if length > MAX_BULK {
                    return Err(format!("a bulk string of {length} bytes, over the limit"));
                }
                let total = end + 1 + length + 2;
                if input.len() < total {
                    // Room for what is missing, up to a bound: memory follows the bytes that
                    // come, not the length a reply announces.
                    input.reserve((total - input.len()).min(MAX_RESERVE));
                    return Ok(None);
                }
                if &input[total - 2..total] != b"\r\n" {
                    return Err("a bulk string without CRLF".into());
                }
                input.advance(end + 1);
                let value = input.split_to(length).freeze();
                input.advance(2);
                return Ok(Some(Ok(Reply::Bulk(value))));
            }
        }
        other => return Err(format!("an unexpected reply type {:?}", char::from(other))),
    };
    input.advance(end + 1);
    Ok(Some(reply))
}

/// Takes every complete reply off `input` (for the fuzz targets): how many.
#[cfg(fuzzing)]
pub(crate) fn parse_all(input: &[u8]) -> usize {
    let mut input = BytesMut::from(input);
    let mut taken = 0;
    while let Ok(Some(_)) = parse(&mut input) {
        taken += 1;
    }
    taken
}

fn number(digits: &[u8]) -> Result<i64, String> {
    std::str::from_utf8(digits)
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| "a malformed number".into())
}

#[cfg(test)]
mod tests {
    use tokio::net::TcpListener;

    use super::*;

    fn parsed(bytes: &[u8]) -> Result<Option<Result<Reply, String>>, String> {
        parse(&mut BytesMut::from(bytes))
    }

    #[test]
    fn replies_parse() {
        assert_eq!(parsed(b"+OK\r\n"), Ok(Some(Ok(Reply::Status("OK".into())))));
        assert_eq!(parsed(b"$-1\r\n"), Ok(Some(Ok(Reply::Nil))));
        assert_eq!(
            parsed(b"$5\r\na\r\nb!\r\n"),
            Ok(Some(Ok(Reply::Bulk(Bytes::from_static(b"a\r\nb!")))))
        );
        assert_eq!(
            parsed(b"$0\r\n\r\n"),
            Ok(Some(Ok(Reply::Bulk(Bytes::new()))))
        );
        assert_eq!(
            parsed(b"-WRONGTYPE Operation\r\n"),
            Ok(Some(Err("WRONGTYPE Operation".into())))
        );
    }

    #[test]
    fn replies_are_taken_one_at_a_time_and_only_when_complete() {
        let mut input = BytesMut::from(&b"$3\r\nabc\r\n+OK\r\n$4\r\nab"[..]);
        assert_eq!(
            parse(&mut input),
            Ok(Some(Ok(Reply::Bulk(Bytes::from_static(b"abc")))))
        );
        assert_eq!(parse(&mut input), Ok(Some(Ok(Reply::Status("OK".into())))));
        assert_eq!(parse(&mut input), Ok(None));
        input.extend_from_slice(b"cd\r");
        assert_eq!(parse(&mut input), Ok(None));
        input.extend_from_slice(b"\n:1");
        assert_eq!(
            parse(&mut input),
            Ok(Some(Ok(Reply::Bulk(Bytes::from_static(b"abcd")))))
        );
        assert_eq!(parse(&mut input), Ok(None), "a line without its end");
        assert_eq!(&input[..], b":1");
    }

    #[test]
    fn what_is_not_a_reply_the_lane_understands_breaks_the_connection() {
        for garbage in [
            &b"*1\r\n$1\r\na\r\n"[..], // an array or an integer: never an answer to GET or SET
            b":1\r\n",
            b"OK\r\n",
            b"+OK\n",
            b"$3\r\nabcd\r\n",
            b"$x\r\n",
            b"$-2\r\n",
        ] {
            assert!(parsed(garbage).is_err(), "{garbage:?}");
        }
        let endless = vec![b'+'; MAX_LINE + 1];
        assert!(parsed(&endless).is_err());
        assert_eq!(parsed(&endless[..100]), Ok(None));
    }

    #[test]
    fn an_empty_line_or_a_huge_length_is_malformed_not_a_crash() {
        for garbage in [&b"\r\n"[..], b"\n", b"\r\n+OK\r\n"] {
            assert!(parsed(garbage).is_err(), "{garbage:?}");
        }
        for huge in [i64::MAX, i64::MAX - 2, MAX_BULK as i64 + 1] {
            let reply = format!("${huge}\r\nabc");
            assert!(parsed(reply.as_bytes()).is_err(), "{reply}");
        }
        // The largest allowed length waits for its bytes.
        assert_eq!(parsed(format!("${MAX_BULK}\r\n").as_bytes()), Ok(None));
    }

    #[test]
    fn error_replies_map_to_the_crates_errors() {
        assert!(matches!(
            server_error("LOADING Redis is loading".into()),
            Error::Unavailable(_)
        ));
        assert!(matches!(
            server_error("WRONGTYPE Operation against a key".into()),
            Error::NotMigrated
        ));
        assert!(matches!(
            server_error("ERR syntax".into()),
            Error::Backend(_)
        ));
    }

    fn target(port: u16) -> Target {
        Target {
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: None,
            database: None,
            connect_timeout: Duration::from_secs(2),
            answer_timeout: Duration::ZERO,
        }
    }

    /// Reads one command (a RESP array of bulk strings) off `stream`, as its arguments.
    async fn read_command(stream: &mut TcpStream, input: &mut BytesMut) -> Option<Vec<Vec<u8>>> {
        loop {
            if let Some(command) = take_command(input) {
                return Some(command);
            }
            if stream.read_buf(input).await.ok()? == 0 {
                return None;
            }
        }
    }

    fn take_command(input: &mut BytesMut) -> Option<Vec<Vec<u8>>> {
        let text = input.to_vec();
        let mut lines = text.split(|&b| b == b'\n');
        let count: usize = std::str::from_utf8(lines.next()?.strip_prefix(b"*")?)
            .ok()?
            .trim_end()
            .parse()
            .ok()?;
        let mut used = text.iter().position(|&b| b == b'\n')? + 1;
        let mut arguments = Vec::new();
        for _ in 0..count {
            let rest = &text[used..];
            let end = rest.iter().position(|&b| b == b'\n')?;
            let length: usize = std::str::from_utf8(&rest[1..end - 1]).ok()?.parse().ok()?;
            let start = end + 1;
            if rest.len() < start + length + 2 {
                return None;
            }
            arguments.push(rest[start..start + length].to_vec());
            used += start + length + 2;
        }
        input.advance(used);
        Some(arguments)
    }

    #[tokio::test]
    async fn commands_are_written_as_the_protocol_says() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let lane = Lane::start(Target {
            username: Some("app".into()),
            password: Some("secret".into()),
            database: Some(3),
            ..target(listener.local_addr().unwrap().port())
        });
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            let mut seen = Vec::new();
            for answer in [&b"+OK\r\n"[..], b"+OK\r\n", b"$5\r\nvalue\r\n", b"$-1\r\n"] {
                seen.push(read_command(&mut stream, &mut input).await.unwrap());
                stream.write_all(answer).await.unwrap();
            }
            seen
        });
        // A key given in parts goes out as one argument.
        assert_eq!(
            lane.get(&[b"{app}:", b"s:", b"k"]).await.unwrap(),
            Reply::Bulk(Bytes::from_static(b"value"))
        );
        assert_eq!(
            lane.set_existing(&[b"k"], b"v\r\n2", 1_700_000_000_123)
                .await
                .unwrap(),
            Reply::Nil
        );
        let as_text = |command: Vec<Vec<u8>>| -> Vec<String> {
            command
                .into_iter()
                .map(|argument| String::from_utf8(argument).unwrap())
                .collect()
        };
        let seen: Vec<Vec<String>> = server.await.unwrap().into_iter().map(as_text).collect();
        assert_eq!(
            seen,
            [
                vec!["AUTH", "app", "secret"],
                vec!["SELECT", "3"],
                vec!["GET", "{app}:s:k"],
                vec!["SET", "k", "v\r\n2", "PXAT", "1700000000123", "XX"],
            ]
        );
    }

    #[tokio::test]
    async fn a_refused_login_fails_the_command() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let lane = Lane::start(Target {
            password: Some("wrong".into()),
            ..target(listener.local_addr().unwrap().port())
        });
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            read_command(&mut stream, &mut input).await;
            stream
                .write_all(b"-WRONGPASS invalid username-password pair\r\n")
                .await
                .unwrap();
            read_command(&mut stream, &mut input).await;
        });
        let error = lane.get(&[b"k"]).await.unwrap_err();
        assert!(
            matches!(&error, Error::Unavailable(m) if m.to_string().contains("WRONGPASS")),
            "{error}"
        );
    }

    /// A connection that breaks fails what waits on it; the next command connects again. A
    /// reply when no command waits also counts as broken.
    #[tokio::test]
    async fn a_broken_connection_fails_its_commands_and_the_next_command_reconnects() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let lane = Lane::start(target(listener.local_addr().unwrap().port()));
        let server = tokio::spawn(async move {
            // First connection: answers one command, then a reply nobody asked for.
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            read_command(&mut stream, &mut input).await.unwrap();
            stream.write_all(b"$3\r\none\r\n").await.unwrap();
            read_command(&mut stream, &mut input).await.unwrap();
            stream.write_all(b"+OK\r\n+OK\r\n").await.unwrap();
            // Second connection: closes while a command waits.
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            read_command(&mut stream, &mut input).await.unwrap();
            drop(stream);
            // Third: answers.
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            read_command(&mut stream, &mut input).await.unwrap();
            stream.write_all(b"$5\r\nagain\r\n").await.unwrap();
        });
        assert_eq!(
            lane.get(&[b"a"]).await.unwrap(),
            Reply::Bulk(Bytes::from_static(b"one"))
        );
        // Its own answer arrives, then the stray one breaks the connection.
        assert_eq!(
            lane.set_existing(&[b"a"], b"x", 1).await.unwrap(),
            Reply::Status("OK".into())
        );
        // The lane may not have seen the stray reply yet: a command sent meanwhile fails.
        let mut answer = lane.get(&[b"b"]).await;
        if answer.is_ok() {
            panic!("the stray reply must not answer a command: {answer:?}");
        }
        // On the second connection, which closes: fails.
        for _ in 0..2 {
            if matches!(answer, Err(Error::Unavailable(ref m)) if m.to_string().contains("closed"))
            {
                break;
            }
            answer = lane.get(&[b"b"]).await;
        }
        assert!(
            matches!(answer, Err(Error::Unavailable(ref m)) if m.to_string().contains("closed")),
            "{answer:?}"
        );
        assert_eq!(
            lane.get(&[b"c"]).await.unwrap(),
            Reply::Bulk(Bytes::from_static(b"again"))
        );
        server.await.unwrap();
    }

    /// A malformed reply fails its command and the connection; the next command connects again.
    #[tokio::test]
    async fn a_malformed_reply_fails_the_command_and_the_next_command_reconnects() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let lane = Lane::start(target(listener.local_addr().unwrap().port()));
        let server = tokio::spawn(async move {
            for garbage in [&b"\r\n"[..], b"$9223372036854775807\r\n"] {
                let (mut stream, _) = listener.accept().await.unwrap();
                let mut input = BytesMut::new();
                read_command(&mut stream, &mut input).await.unwrap();
                stream.write_all(garbage).await.unwrap();
                // Holds the connection open: the lane must drop it by itself.
                let _ = read_command(&mut stream, &mut input).await;
            }
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            read_command(&mut stream, &mut input).await.unwrap();
            stream.write_all(b"$2\r\nok\r\n").await.unwrap();
        });
        for _ in 0..2 {
            let error = lane.get(&[b"k"]).await.unwrap_err();
            assert!(
                matches!(&error, Error::Unavailable(m) if m.to_string().contains("Redis:")),
                "{error}"
            );
        }
        assert_eq!(
            lane.get(&[b"k"]).await.unwrap(),
            Reply::Bulk(Bytes::from_static(b"ok"))
        );
        server.await.unwrap();
    }

    /// Should the connection task ever panic, the commands it held fail and the lane comes
    /// back for the next ones.
    #[tokio::test]
    async fn a_panicking_connection_task_is_started_again() {
        let (requests, queue) = mpsc::unbounded_channel();
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = runs.clone();
        tokio::spawn(supervise(queue, move |queue: Queue| {
            let run = counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move {
                let mut queue = queue.lock_owned().await;
                while let Some(request) = queue.recv().await {
                    if run == 0 {
                        panic!("a bug in the connection task");
                    }
                    let _ = request.reply.send(Ok(Reply::Nil));
                }
            }
        }));
        let lane = Lane { requests };
        assert!(matches!(
            lane.get(&[b"k"]).await,
            Err(Error::Unavailable(m)) if m.to_string().contains("stopped")
        ));
        assert_eq!(lane.get(&[b"k"]).await.unwrap(), Reply::Nil);
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    /// A connection that stopped answering (a server that failed over, a connection dropped
    /// on the way without a word) is replaced once commands have waited a whole timeout.
    #[tokio::test]
    async fn a_connection_that_stopped_answering_is_replaced_by_the_next_command() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let answer_timeout = Duration::from_millis(100);
        let lane = Lane::start(Target {
            answer_timeout,
            ..target(listener.local_addr().unwrap().port())
        });
        tokio::spawn(async move {
            // The first connection takes commands and never answers.
            let (mut silent, _) = listener.accept().await.unwrap();
            let mut ignored = BytesMut::new();
            read_command(&mut silent, &mut ignored).await.unwrap();
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            while read_command(&mut stream, &mut input).await.is_some() {
                stream.write_all(b"$2\r\nok\r\n").await.unwrap();
            }
            drop(silent);
        });
        let wait = Duration::from_millis(20);
        // Given up by its caller, as the backend's deadlines do.
        assert!(tokio::time::timeout(wait, lane.get(&[b"a"])).await.is_err());
        // Less than a timeout after: the connection still counts as fine, this one waits too.
        assert!(tokio::time::timeout(wait, lane.get(&[b"b"])).await.is_err());
        tokio::time::sleep(answer_timeout).await;
        let answered = tokio::time::timeout(Duration::from_secs(2), lane.get(&[b"c"]))
            .await
            .expect("the next command goes to a new connection");
        assert_eq!(answered.unwrap(), Reply::Bulk(Bytes::from_static(b"ok")));
    }

    #[tokio::test]
    async fn an_unreachable_server_fails_commands_at_once_until_the_next_attempt() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let lane = Lane::start(target(port));
        assert!(matches!(
            lane.get(&[b"k"]).await,
            Err(Error::Unavailable(_))
        ));
        let started = Instant::now();
        let error = lane.get(&[b"k"]).await.unwrap_err();
        assert!(started.elapsed() < RETRY_AFTER_MIN, "no new attempt yet");
        assert!(error.to_string().contains("cannot connect"), "{error}");
        // Once the server is back, a command after the wait connects.
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut input = BytesMut::new();
            while read_command(&mut stream, &mut input).await.is_some() {
                stream.write_all(b"$-1\r\n").await.unwrap();
            }
        });
        tokio::time::sleep(RETRY_AFTER_MIN * 2).await;
        assert_eq!(lane.get(&[b"k"]).await.unwrap(), Reply::Nil);
    }

    /// Against a real server: many commands in flight at once each get their own answer.
    #[tokio::test]
    async fn concurrent_commands_each_get_their_own_answer() {
        let Some(url) = crate::test_servers::Server::Redis.url() else {
            eprintln!("skipped: TEST_REDIS_URL is not set");
            return;
        };
        let config = fred::prelude::Config::from_url(&url).unwrap();
        let target = super::super::lane_target(&url, &config, Duration::from_secs(5)).unwrap();
        let lane = std::sync::Arc::new(Lane::start(target));
        let prefix = format!("lane-test-{}", std::process::id());
        let key = |n: usize| format!("{{{prefix}}}:{n}");
        // `SET … XX` writes only keys that exist: none yet.
        assert_eq!(
            lane.set_existing(&[key(0).as_bytes()], b"x", i64::MAX / 2)
                .await
                .unwrap(),
            Reply::Nil
        );
        let client = fred::prelude::Client::new(config, None, None, None);
        fred::prelude::ClientLike::init(&client).await.unwrap();
        let until = crate::record::to_millis(time::OffsetDateTime::now_utc()) + 60_000;
        for n in 0..200 {
            let _: () = fred::prelude::KeysInterface::set(
                &client,
                key(n),
                format!("value {n}"),
                None,
                None,
                false,
            )
            .await
            .unwrap();
        }
        let tasks: Vec<_> = (0..200)
            .map(|n| {
                let lane = lane.clone();
                let key = key(n);
                tokio::spawn(async move {
                    let value = format!("new value {n}");
                    let set = lane.set_existing(&[key.as_bytes()], value.as_bytes(), until);
                    assert_eq!(set.await.unwrap(), Reply::Status("OK".into()));
                    assert_eq!(
                        lane.get(&[key.as_bytes()]).await.unwrap(),
                        Reply::Bulk(Bytes::from(value))
                    );
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let ttl: i64 = fred::prelude::KeysInterface::pttl(&client, key(7))
            .await
            .unwrap();
        assert!((1..=60_000).contains(&ttl), "{ttl}");
        let _: i64 =
            fred::prelude::KeysInterface::del(&client, (0..200).map(key).collect::<Vec<_>>())
                .await
                .unwrap();
    }
}
