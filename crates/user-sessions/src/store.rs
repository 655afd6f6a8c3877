//! [`Store`]: the cloneable handle applications use, over any [`Backend`].
//!
//! Long because every public method of the handle carries its documentation and example; the policy
//! it adds is short per method.

use std::sync::Arc;
use std::time::Duration;

use crate::backend::{Backend, StoredSession, Touch};
use crate::events::{EndedBy, Event, Events};
use crate::new_device::{DEFAULT_NEW_DEVICE_WINDOW, DeviceKey, Networks, is_new_device};
use crate::record::{SessionData, now, truncate_to_millis};
use crate::{
    Engine, Error, Filter, KnownDevice, Page, PageRequest, PublicId, Result, SessionInfo,
    SessionLimit, SessionRecord, SignInOutcome, SignInWrite, Stats,
};

/// How many expired sessions one purge batch deletes by default.
///
/// Large batches amortise index maintenance (a purge of a million rows touches every index page
/// a few times instead of hundreds); readers are never blocked by a batch, only other writers
/// wait for it.
pub const DEFAULT_PURGE_BATCH: u32 = 50_000;

/// Settings for [`Store::open_with`], applied to whichever server backend the URL names
/// (SQLite, embedded, has neither). Unset values keep the backend's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenOptions {
    /// The longest a request waits for the database: for a pooled connection (PostgreSQL,
    /// MySQL) or a command's answer (Redis). A request that waits longer fails as
    /// [`Error::Unavailable`] (a web layer answers `503`).
    pub timeout: Option<Duration>,
    /// How many connections to the server to keep, at most.
    pub max_connections: Option<u32>,
}

impl OpenOptions {
    /// Sets [`timeout`](Self::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets [`max_connections`](Self::max_connections).
    pub fn max_connections(mut self, max: u32) -> Self {
        self.max_connections = Some(max);
        self
    }
}

/// A cloneable handle over a session backend: load and save sessions, list a user's sessions,
/// end one, end all others, end all, purge the expired ones, and query them all for an admin.
///
/// Cloning is cheap (an `Arc`). The logic shared by every backend lives here: expiry and the
/// absolute lifetime, encoding of session data, batching of purges.
///
/// List and end a user's sessions:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
/// use user_sessions::Store;
///
/// let store = Store::open("sqlite::memory:").await?;
/// store.migrate().await?;
/// for session in store.user_sessions("42").await? {
///     println!("{} {:?} {:?}", session.id, session.ip, session.user_agent);
/// }
/// store.end_all_user_sessions("42").await?; // "log out everywhere"
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Store {
    backend: Arc<dyn Backend>,
    absolute_lifetime: Option<time::Duration>,
    purge_batch: u32,
    events: Arc<Events>,
    /// Who the sessions this handle ends are ended by, when not the method's own default.
    ending_as: Option<Arc<EndedBy>>,
    new_device_window: time::Duration,
    /// How a sign-in's address becomes the network the device history compares.
    networks: Networks,
    session_limit: Option<SessionLimit>,
}

impl Store {
    /// Wraps a backend.
    pub fn new(backend: impl Backend) -> Self {
        Self::from_backend(Arc::new(backend))
    }

    /// Wraps a shared backend.
    pub fn from_backend(backend: Arc<dyn Backend>) -> Self {
        Store {
            backend,
            absolute_lifetime: None,
            purge_batch: DEFAULT_PURGE_BATCH,
            events: Arc::default(),
            ending_as: None,
            new_device_window: time::Duration::try_from(DEFAULT_NEW_DEVICE_WINDOW)
                .unwrap_or(time::Duration::MAX),
            networks: Networks::default(),
            session_limit: None,
        }
    }

    /// Opens the backend a URL names: `sqlite://sessions.db`, `sqlite::memory:` (and, with their
    /// features, `postgres://…`, `mysql://…`, `redis://…`, `redis-cluster://…`), with each backend's default
    /// settings. Does not migrate: call [`migrate`](Self::migrate) once at deploy time.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use user_sessions::{Error, Store};
    /// assert!(matches!(Store::open("nonsense").await, Err(Error::Url(_))));
    /// # }
    /// ```
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, OpenOptions::default()).await
    }

    /// [`open`](Self::open) with settings that every server backend understands: how long a
    /// request may wait for the database, and how many connections to keep.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use std::time::Duration;
    /// use user_sessions::{OpenOptions, Store};
    ///
    /// let options = OpenOptions::default()
    ///     .timeout(Duration::from_millis(500))
    ///     .max_connections(16);
    /// let store = Store::open_with("sqlite::memory:", options).await?;
    /// # Ok(()) }
    /// ```
    #[cfg_attr(
        not(any(feature = "postgres", feature = "mysql", feature = "redis")),
        allow(unused_variables)
    )]
    pub async fn open_with(url: &str, options: OpenOptions) -> Result<Self> {
        match Engine::of_url(url) {
            #[cfg(feature = "sqlite")]
            Some(Engine::Sqlite) => Ok(Self::new(crate::sqlite::SqliteBackend::open(url).await?)),
            #[cfg(feature = "postgres")]
            Some(Engine::Postgres) => {
                let mut settings = crate::postgres::PostgresOptions::default();
                if let Some(timeout) = options.timeout {
                    settings.acquire_timeout = timeout;
                }
                if let Some(max) = options.max_connections {
                    settings.max_connections = max;
                }
                Ok(Self::new(
                    crate::postgres::PostgresBackend::open_with(url, settings).await?,
                ))
            }
            #[cfg(feature = "mysql")]
            Some(Engine::Mysql) => {
                let mut settings = crate::mysql::MysqlOptions::default();
                if let Some(timeout) = options.timeout {
                    settings.acquire_timeout = timeout;
                }
                if let Some(max) = options.max_connections {
                    settings.max_connections = max;
                }
                Ok(Self::new(
                    crate::mysql::MysqlBackend::open_with(url, settings).await?,
                ))
            }
            #[cfg(feature = "redis")]
            Some(Engine::Redis) => {
                let mut settings = crate::redis::RedisOptions::default();
                if let Some(timeout) = options.timeout {
                    settings.timeout = timeout;
                }
                if let Some(max) = options.max_connections {
                    settings.connections = max as usize;
                }
                Ok(Self::new(
                    crate::redis::RedisBackend::open_with(url, settings).await?,
                ))
            }
            _ => Err(Error::Url(url.to_owned())),
        }
    }

    /// Sessions older than `lifetime` (counted from creation) are treated as ended, however
    /// recently they were used. Off by default.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// let store = user_sessions::Store::open("sqlite::memory:").await?
    ///     .with_absolute_lifetime(std::time::Duration::from_secs(30 * 24 * 3600));
    /// # Ok(()) }
    /// ```
    pub fn with_absolute_lifetime(mut self, lifetime: Duration) -> Self {
        self.absolute_lifetime = time::Duration::try_from(lifetime).ok();
        self
    }

    /// Keeps each user to at most `limit` live sessions (off by default). A sign-in beyond it
    /// ends the user's least recently active sessions, each reported as
    /// [`EndedBy::Limit`] — or, with [`SessionLimit::refusing`], fails with
    /// [`Error::SessionLimitReached`] and writes nothing. Applied atomically where a session
    /// gains its user: [`create`](Self::create) of a session with a user, and
    /// [`update_entries_signing_in`](Self::update_entries_signing_in).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{Error, PublicId, SessionLimit, SessionRecord, Store};
    ///
    /// let store = Store::open("sqlite::memory:").await?.with_session_limit(SessionLimit::new(2));
    /// store.migrate().await?;
    /// let expires = OffsetDateTime::now_utc() + Duration::hours(1);
    /// for n in 0..3u8 {
    ///     let mut record = SessionRecord::new(PublicId::from_secret(&[n]), expires);
    ///     record.info.user_id = Some("42".into());
    ///     record.info.last_activity += Duration::seconds(n.into());
    ///     assert!(store.create(&record).await?);
    /// }
    /// // The first, least recently active, made room for the third.
    /// let left: Vec<_> = store.user_sessions("42").await?.iter().map(|s| s.id).collect();
    /// assert_eq!(left, [PublicId::from_secret(&[2]), PublicId::from_secret(&[1])]);
    ///
    /// let strict = store.with_session_limit(SessionLimit::new(2).refusing());
    /// let mut record = SessionRecord::new(PublicId::from_secret(&[3]), expires);
    /// record.info.user_id = Some("42".into());
    /// assert!(matches!(strict.create(&record).await, Err(Error::SessionLimitReached { max: 2 })));
    /// # Ok(()) }
    /// ```
    pub fn with_session_limit(mut self, limit: SessionLimit) -> Self {
        self.session_limit = Some(limit);
        self
    }

    /// The per-user session limit, if one is set.
    pub fn session_limit(&self) -> Option<SessionLimit> {
        self.session_limit
    }

    /// How many expired sessions each purge batch deletes (default [`DEFAULT_PURGE_BATCH`]).
    /// Smaller batches hold the write lock for less time.
    pub fn with_purge_batch_size(mut self, batch: u32) -> Self {
        self.purge_batch = batch.max(1);
        self
    }

    /// Puts an in-process cache in front of the backend: single-session reads are answered
    /// from memory for at most `options.ttl`, which is also the longest time a session ended
    /// elsewhere keeps working through this handle (see [`cache`](crate::cache) for the exact
    /// guarantee).
    pub fn with_cache(mut self, options: crate::cache::CacheOptions) -> Self {
        self.backend = Arc::new(crate::cache::CachedBackend::from_backend(
            self.backend,
            options,
        ));
        self
    }

    /// Where this store's [events](crate::events) go; shared by every clone of the handle.
    /// Subscribe with one call:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// let store = user_sessions::Store::open("sqlite::memory:").await?;
    /// let mut events = store.events().subscribe(1024);
    /// tokio::spawn(async move {
    ///     while let Some(event) = events.recv().await {
    ///         println!("{event:?}"); // send an e-mail, write an audit log, …
    ///     }
    /// });
    /// # Ok(()) }
    /// ```
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// A handle (sharing everything with this one) whose ending of sessions is reported as
    /// ended `by` — an admin acting for a staff member, say — instead of each method's own
    /// reason.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use user_sessions::events::EndedBy;
    /// let store = user_sessions::Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let admin = store.ending_as(EndedBy::Admin { staff: "7".into() });
    /// admin.end_all_user_sessions("42").await?;
    /// # Ok(()) }
    /// ```
    pub fn ending_as(&self, by: EndedBy) -> Store {
        Store {
            ending_as: Some(Arc::new(by)),
            ..self.clone()
        }
    }

    /// How long a device stays known to [`signed_in`](Self::signed_in) after the user last
    /// used it (default 90 days); also how long the device history keeps an entry.
    pub fn with_new_device_window(mut self, window: Duration) -> Self {
        self.new_device_window = time::Duration::try_from(window).unwrap_or(time::Duration::MAX);
        self
    }

    /// Judges a sign-in's network by its country, where `geoip` knows the address ("a new
    /// device" is then a device the user has not used in that country), instead of by its
    /// `/16` (IPv4) or `/32` (IPv6) prefix, which stays the network of addresses the database
    /// does not place. Entries already in the device history keep the network they were
    /// written with.
    #[cfg(feature = "geoip")]
    pub fn with_new_device_countries(mut self, geoip: crate::humanize::GeoIp) -> Self {
        self.networks = Networks::by_country(geoip);
        self
    }

    /// The start of the new-device window at `now`.
    fn known_since(&self, now: time::OffsetDateTime) -> time::OffsetDateTime {
        now.checked_sub(self.new_device_window)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }

    /// Reports that a user signed in on session `session` (as stored): remembers its device
    /// and network in the user's device history (one small write, which outlives the
    /// session), and publishes [`Event::SignedIn`] with `new_device` true when neither that
    /// history nor the user's other live sessions show this device on this network within
    /// the [window](Self::with_new_device_window). Returns that flag.
    ///
    /// Judging reads the user's history (and, for a device it does not know, their sessions),
    /// so it is done only when something observes the [events](Self::events): then
    /// `Some(new_device)`; otherwise the device is only remembered, and `None` is returned.
    /// Web layers call this once per sign-in.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionRecord, Store};
    ///
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let _events = store.events().subscribe(16);
    /// let mut record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
    /// record.info.user_id = Some("42".into());
    /// record.info.ip = Some("192.0.2.7".parse().unwrap());
    /// record.info.user_agent = Some("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0".into());
    /// store.create(&record).await?;
    /// assert_eq!(store.signed_in(&record.info).await?, Some(true));
    /// // The user signs out; the device stays known.
    /// store.end_all_user_sessions("42").await?;
    /// record.info.id = PublicId::from_secret(b"t");
    /// store.create(&record).await?;
    /// assert_eq!(store.signed_in(&record.info).await?, Some(false));
    /// assert_eq!(store.known_devices("42").await?[0].network, "192.0.0.0/16");
    /// # Ok(()) }
    /// ```
    pub async fn signed_in(&self, session: &SessionInfo) -> Result<Option<bool>> {
        let Some(user_id) = session.user_id.clone() else {
            return Ok(None);
        };
        let now = now();
        let since = self.known_since(now);
        let key = DeviceKey::of(session, &self.networks);
        let new_device = if self.events.is_observed() {
            Some(self.is_new_device(&user_id, session, &key, since).await?)
        } else {
            None
        };
        if let Some(new_device) = new_device {
            self.events.publish(Event::SignedIn {
                id: session.id,
                user_id: user_id.clone(),
                ip: session.ip,
                user_agent: session.user_agent.clone(),
                new_device,
            });
        }
        self.backend
            .remember_device(&user_id, &key.used_at(now), since)
            .await?;
        Ok(new_device)
    }

    /// Whether neither the user's device history nor their other live sessions show `key`
    /// at or after `since`: the history first (it answers for a device the user signed in
    /// with before), then the sessions (a session may have moved to another network since
    /// its sign-in).
    async fn is_new_device(
        &self,
        user_id: &str,
        session: &SessionInfo,
        key: &DeviceKey,
        since: time::OffsetDateTime,
    ) -> Result<bool> {
        let known = self.backend.known_devices(user_id, since).await?;
        if known.iter().any(|device| key.is(device)) {
            return Ok(false);
        }
        let others = self.user_sessions(user_id).await?;
        Ok(is_new_device(session, &others, since, &self.networks))
    }

    /// The user's device history: the devices and networks they signed in with within the
    /// [window](Self::with_new_device_window), most recently used first — whether or not a
    /// session of theirs is still live. At most [`MAX_KNOWN_DEVICES`](crate::MAX_KNOWN_DEVICES).
    pub async fn known_devices(&self, user_id: &str) -> Result<Vec<KnownDevice>> {
        self.backend
            .known_devices(user_id, self.known_since(now()))
            .await
    }

    /// The reason to report for sessions this handle ends, `default` unless
    /// [`ending_as`](Self::ending_as) says otherwise.
    fn ended_by(&self, default: EndedBy) -> EndedBy {
        match &self.ending_as {
            Some(by) => EndedBy::clone(by),
            None => default,
        }
    }

    fn publish_ended(&self, id: PublicId, user_id: Option<String>, by: &EndedBy) {
        self.events.publish(Event::Ended {
            id,
            user_id,
            by: by.clone(),
        });
    }

    /// Ends the user's sessions except `keep`, reporting each as ended `by`.
    async fn end_user_sessions(
        &self,
        user_id: &str,
        keep: Option<&PublicId>,
        by: EndedBy,
    ) -> Result<u64> {
        // The live sessions, to name them in the events; the delete also takes expired ones.
        let live = self.backend.user_sessions(user_id, now()).await?;
        let ended = self.backend.delete_user_sessions(user_id, keep).await?;
        for session in live.into_iter().filter(|s| Some(&s.id) != keep) {
            self.publish_ended(session.id, session.user_id, &by);
        }
        Ok(ended)
    }

    /// The backend under this handle.
    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.backend
    }

    /// Creates or upgrades the schema. Idempotent; run it at deploy time, not per request.
    pub async fn migrate(&self) -> Result<()> {
        self.backend.migrate().await
    }

    /// How many schema migrations are pending (0 when up to date).
    pub async fn pending_migrations(&self) -> Result<usize> {
        self.backend.pending_migrations().await
    }

    /// Stores a new session. Returns `false`, writing nothing, when a live session already has
    /// this id: the caller should pick another id. Never overwrites another session. A session
    /// created with a user is a sign-in: the [session limit](Self::with_session_limit)
    /// applies.
    pub async fn create(&self, record: &SessionRecord) -> Result<bool> {
        let stored = encode(record)?;
        let created = match self.limit_for(&stored.info) {
            Some(limit) => self.sign_in(&stored, SignInWrite::Create, limit).await?,
            None => self.backend.create(&stored, now()).await?,
        };
        if created {
            self.events.publish(Event::Created {
                id: record.id,
                user_id: record.user_id.clone(),
                ip: record.ip,
            });
        }
        Ok(created)
    }

    /// Creates many sessions at once (an import), skipping ids that belong to live sessions;
    /// returns how many were created. Running the same import twice creates nothing new.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionRecord, Store};
    ///
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let expires = OffsetDateTime::now_utc() + Duration::days(1);
    /// let batch: Vec<_> = (0..3).map(|n| SessionRecord::new(PublicId::from_secret(&[n]), expires)).collect();
    /// assert_eq!(store.create_many(&batch).await?, 3);
    /// assert_eq!(store.create_many(&batch).await?, 0);
    /// # Ok(()) }
    /// ```
    pub async fn create_many(&self, records: &[SessionRecord]) -> Result<u64> {
        let stored = records.iter().map(encode).collect::<Result<Vec<_>>>()?;
        self.backend.create_many(&stored, now()).await
    }

    /// Loads a live session: `None` when unknown, expired, past the absolute lifetime, or when
    /// its data cannot be decoded (logged as a warning).
    pub async fn load(&self, id: &PublicId) -> Result<Option<SessionRecord>> {
        let Some(stored) = self.backend.get(id).await? else {
            return Ok(None);
        };
        if !self.is_live(&stored.info) {
            return Ok(None);
        }
        Ok(decode(stored))
    }

    /// Loads a session whether or not it has expired (for admin detail views).
    pub async fn get(&self, id: &PublicId) -> Result<Option<SessionRecord>> {
        Ok(self.backend.get(id).await?.and_then(decode))
    }

    /// Inserts or replaces a session in one write.
    pub async fn save(&self, record: &SessionRecord) -> Result<()> {
        self.backend.save(&encode(record)?).await
    }

    /// Replaces a session that exists, in one write. Returns `false`, writing nothing, when the
    /// session is gone — ended from another device or by an admin while this request ran — so a
    /// late save can never bring an ended session back. Session frameworks save loaded sessions
    /// with this, and new ones with [`create`](Self::create).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionRecord, Store};
    ///
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
    /// assert!(!store.update(&record).await?); // never created: nothing written
    /// store.create(&record).await?;
    /// assert!(store.update(&record).await?);
    /// store.delete(&record.id).await?;
    /// assert!(!store.update(&record).await?); // ended: stays ended
    /// assert!(store.load(&record.id).await?.is_none());
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, record: &SessionRecord) -> Result<bool> {
        self.backend.update(&encode(record)?).await
    }

    /// [`update`](Self::update) for a session whose data is at hand as entries rather than a
    /// [`SessionRecord`] — a session framework's own map, say, minus keys it keeps elsewhere.
    /// The entries are encoded as they are, without building a map first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use std::collections::HashMap;
    /// use serde_json::{Value, json};
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionRecord, Store};
    ///
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
    /// store.create(&record).await?;
    ///
    /// let framework: HashMap<String, Value> =
    ///     [("cart".into(), json!([1, 2])), ("framework.internal".into(), json!(true))].into();
    /// let kept = framework.iter().filter(|(key, _)| !key.starts_with("framework."));
    /// assert!(store.update_entries(record.info.clone(), kept).await?);
    /// let data = store.load(&record.id).await?.unwrap().data;
    /// assert_eq!(data.len(), 1);
    /// assert_eq!(data["cart"], json!([1, 2]));
    /// # Ok(()) }
    /// ```
    pub async fn update_entries<'a>(
        &self,
        info: SessionInfo,
        data: impl IntoIterator<Item = (&'a String, &'a serde_json::Value)>,
    ) -> Result<bool> {
        self.backend.update(&stored_entries(info, data)?).await
    }

    /// [`update_entries`](Self::update_entries) for a save that changes only the session's
    /// data and expiry: `info` holds its other columns as this caller read them. A backend
    /// may write just the data and the expiry and leave the rest as it has them (on SQLite,
    /// a write that leaves most of the row's indexes alone); a save made while a concurrent
    /// request recorded a new client or activity then keeps those. Returns `false`, writing
    /// nothing, when the session is gone.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use serde_json::json;
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionRecord, Store};
    ///
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
    /// store.create(&record).await?;
    ///
    /// let mut info = record.info.clone();
    /// info.expires_at += Duration::hours(1);
    /// let cart = ("cart".to_owned(), json!([1]));
    /// assert!(store.update_data_entries(info.clone(), [(&cart.0, &cart.1)]).await?);
    /// let stored = store.load(&record.id).await?.unwrap();
    /// assert_eq!(stored.data["cart"], json!([1]));
    /// assert_eq!(stored.expires_at, info.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn update_data_entries<'a>(
        &self,
        info: SessionInfo,
        data: impl IntoIterator<Item = (&'a String, &'a serde_json::Value)>,
    ) -> Result<bool> {
        self.backend.update_data(&stored_entries(info, data)?).await
    }

    /// [`update_entries`](Self::update_entries) for a save that gives the session its user (a
    /// sign-in on a session that existed before): the [session
    /// limit](Self::with_session_limit) applies, in the same atomic step as the write. Returns
    /// `false`, writing nothing, when the session is gone.
    pub async fn update_entries_signing_in<'a>(
        &self,
        info: SessionInfo,
        data: impl IntoIterator<Item = (&'a String, &'a serde_json::Value)>,
    ) -> Result<bool> {
        let stored = stored_entries(info, data)?;
        match self.limit_for(&stored.info) {
            Some(limit) => self.sign_in(&stored, SignInWrite::Update, limit).await,
            None => self.backend.update(&stored).await,
        }
    }

    /// The limit a write of `info` as a sign-in is held to: none without a limit or a user.
    fn limit_for(&self, info: &SessionInfo) -> Option<SessionLimit> {
        self.session_limit.filter(|_| info.user_id.is_some())
    }

    /// Writes a session that gained its user under `limit`, reporting the sessions it ended.
    async fn sign_in(
        &self,
        session: &StoredSession,
        write: SignInWrite,
        limit: SessionLimit,
    ) -> Result<bool> {
        match self.backend.sign_in(session, write, limit, now()).await? {
            SignInOutcome::Written { ended } => {
                for id in ended {
                    self.publish_ended(id, session.info.user_id.clone(), &EndedBy::Limit);
                }
                Ok(true)
            }
            SignInOutcome::NotWritten => Ok(false),
            SignInOutcome::Refused => Err(Error::SessionLimitReached { max: limit.max() }),
        }
    }

    /// Records a request's client and activity on a live session, in one narrow write that
    /// leaves its data, expiry and user alone. Returns `false`, writing nothing, when the
    /// session is unknown, ended or expired — a touch never brings a session back.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionRecord, Store, Touch};
    ///
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
    /// store.create(&record).await?;
    /// let touch = Touch {
    ///     ip: Some("192.0.2.7".parse().unwrap()),
    ///     user_agent: Some("curl/8.5".into()),
    ///     client_hints: None,
    ///     last_activity: OffsetDateTime::now_utc(),
    /// };
    /// assert!(store.touch(&record.id, touch.clone()).await?);
    /// assert_eq!(store.load(&record.id).await?.unwrap().user_agent.as_deref(), Some("curl/8.5"));
    /// store.delete(&record.id).await?;
    /// assert!(!store.touch(&record.id, touch).await?); // ended: stays ended
    /// # Ok(()) }
    /// ```
    pub async fn touch(&self, id: &PublicId, mut touch: Touch) -> Result<bool> {
        touch.last_activity = truncate_to_millis(touch.last_activity);
        self.backend.touch(id, &touch, now()).await
    }

    /// Sets the session's sign-in time to now — the user just confirmed who they are again
    /// (re-entered their password) — and changes nothing else: not its id, data, user or
    /// activity. Returns the new sign-in time; `None`, writing nothing, when the session is
    /// unknown, ended or expired. Publishes [`Event::Reauthenticated`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use time::{Duration, OffsetDateTime};
    /// use user_sessions::{PublicId, SessionRecord, Store};
    ///
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let record = SessionRecord::new(PublicId::from_secret(b"s"), OffsetDateTime::now_utc() + Duration::hours(1));
    /// store.create(&record).await?;
    /// let at = store.mark_authenticated(&record.id).await?;
    /// assert!(at.is_some());
    /// assert_eq!(store.load(&record.id).await?.unwrap().authenticated_at, at);
    /// # Ok(()) }
    /// ```
    pub async fn mark_authenticated(&self, id: &PublicId) -> Result<Option<time::OffsetDateTime>> {
        let at = now();
        let Some(info) = self.backend.mark_authenticated(id, at, at).await? else {
            return Ok(None);
        };
        self.events.publish(Event::Reauthenticated {
            id: *id,
            user_id: info.user_id,
        });
        Ok(Some(at))
    }

    /// Deletes a session; returns whether it existed. Reported as ended by its user (signing
    /// out), unless this handle is [`ending_as`](Self::ending_as) someone else. When something
    /// observes the [events](Self::events), the session is read first, to name its user in
    /// the [`Event::Ended`].
    pub async fn delete(&self, id: &PublicId) -> Result<bool> {
        let user_id = if self.events.is_observed() {
            self.backend
                .get(id)
                .await?
                .and_then(|stored| stored.info.user_id)
        } else {
            None
        };
        let existed = self.backend.delete(id).await?;
        if existed {
            self.publish_ended(*id, user_id, &self.ended_by(EndedBy::User));
        }
        Ok(existed)
    }

    /// Deletes sessions by public id (e.g. "end selected" in an admin); returns how many existed.
    /// Reads each first, to name its user in the [`Event::Ended`] it publishes.
    pub async fn delete_many(&self, ids: &[PublicId]) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(stored) = self.backend.get(id).await? {
                found.push(stored.info);
            }
        }
        let ended = self.backend.delete_many(ids).await?;
        let by = self.ended_by(EndedBy::User);
        for session in found {
            self.publish_ended(session.id, session.user_id, &by);
        }
        Ok(ended)
    }

    /// The user's live sessions, most recent activity first.
    pub async fn user_sessions(&self, user_id: &str) -> Result<Vec<SessionInfo>> {
        let mut sessions = self.backend.user_sessions(user_id, now()).await?;
        if self.absolute_lifetime.is_some() {
            sessions.retain(|s| self.is_live(s));
        }
        Ok(sessions)
    }

    /// Ends one of the user's sessions by public id. Returns `false`, ending nothing, when the
    /// id is unknown or belongs to another user.
    pub async fn end_user_session(&self, user_id: &str, id: &PublicId) -> Result<bool> {
        let ended = self.backend.delete_user_session(user_id, id).await?;
        if ended {
            let by = self.ended_by(EndedBy::User);
            self.publish_ended(*id, Some(user_id.to_owned()), &by);
        }
        Ok(ended)
    }

    /// Ends every session of the user ("log out everywhere"); returns how many.
    pub async fn end_all_user_sessions(&self, user_id: &str) -> Result<u64> {
        self.end_user_sessions(user_id, None, self.ended_by(EndedBy::User))
            .await
    }

    /// Ends every session of the user except `current`; returns how many. Reported as ended
    /// by `current` ([`EndedBy::OtherSession`]).
    pub async fn end_other_user_sessions(&self, user_id: &str, current: &PublicId) -> Result<u64> {
        let by = self.ended_by(EndedBy::OtherSession { session: *current });
        self.end_user_sessions(user_id, Some(current), by).await
    }

    /// The user changed their password: ends every session of the user except `current`
    /// (none when the current session is not stored yet, e.g. its id was just cycled) and
    /// returns how many. Reported as [`EndedBy::PasswordChange`]. Web layers also refresh the
    /// current session's sign-in time ([`mark_authenticated`](Self::mark_authenticated)).
    pub async fn password_changed(&self, user_id: &str, current: Option<&PublicId>) -> Result<u64> {
        let by = self.ended_by(EndedBy::PasswordChange);
        self.end_user_sessions(user_id, current, by).await
    }

    /// Counts sessions matching `filter`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use user_sessions::{Filter, Status, Store};
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// assert_eq!(store.count(&Filter::default().status(Status::All)).await?, 0);
    /// # Ok(()) }
    /// ```
    pub async fn count(&self, filter: &Filter) -> Result<u64> {
        self.backend.count(filter, now()).await
    }

    /// Deletes every expired session, in batches so that other requests keep flowing;
    /// returns how many were deleted. Then [forgets](Self::forget_unused_devices) the device
    /// history entries older than the new-device window.
    pub async fn purge_expired(&self) -> Result<u64> {
        let mut total = 0;
        loop {
            let deleted = self.purge_expired_batch(self.purge_batch).await?;
            total += deleted;
            if deleted < u64::from(self.purge_batch) {
                break;
            }
            tokio::task::yield_now().await;
        }
        self.forget_unused_devices().await?;
        Ok(total)
    }

    /// Forgets everything the device history holds about `user_id` (the devices and networks
    /// they signed in with); returns how many entries went. Their next sign-in from any device
    /// counts as new. Call it with
    /// [`end_all_user_sessions`](Self::end_all_user_sessions) when a user is deleted.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use user_sessions::Store;
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// assert_eq!(store.forget_user_devices("42").await?, 0);
    /// assert!(store.known_devices("42").await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn forget_user_devices(&self, user_id: &str) -> Result<u64> {
        self.backend.forget_user_devices(user_id).await
    }

    /// Forgets the device history entries (of every user) last used before the
    /// [new-device window](Self::with_new_device_window), in batches; returns how many.
    /// [`purge_expired`](Self::purge_expired) does this after the sessions.
    pub async fn forget_unused_devices(&self) -> Result<u64> {
        let before = self.known_since(now());
        let mut total = 0;
        loop {
            let forgotten = self
                .backend
                .forget_devices(before, self.purge_batch)
                .await?;
            total += forgotten;
            if forgotten < u64::from(self.purge_batch) {
                return Ok(total);
            }
            tokio::task::yield_now().await;
        }
    }

    /// Deletes at most `limit` expired sessions; returns how many. Each one deleted is
    /// announced as [`Event::Ended`] by [`EndedBy::Expired`], then the batch as
    /// [`Event::Purged`] (PostgreSQL's partitioned layout drops whole days of sessions that
    /// expired before the current day without reading them: those are only counted).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use user_sessions::events::{EndedBy, Event};
    /// use user_sessions::Store;
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let mut events = store.events().subscribe(16);
    /// assert_eq!(store.purge_expired_batch(100).await?, 0);
    /// assert_eq!(events.try_recv(), None, "nothing expired, nothing announced");
    /// # Ok(()) }
    /// ```
    pub async fn purge_expired_batch(&self, limit: u32) -> Result<u64> {
        let purged = self.backend.purge_expired(now(), limit.max(1)).await?;
        for (id, user_id) in purged.sessions.iter().cloned() {
            self.publish_ended(id, user_id, &EndedBy::Expired);
        }
        let count = purged.count();
        if count > 0 {
            self.events.publish(Event::Purged { count });
        }
        Ok(count)
    }

    /// Spawns a task on the current Tokio runtime that purges expired sessions every `every`.
    /// Failures are logged and retried at the next tick. Abort the handle to stop it.
    pub fn spawn_purge_task(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match store.purge_expired().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(purged = n, "purged expired sessions"),
                    Err(error) => tracing::warn!(%error, "purging expired sessions failed"),
                }
            }
        })
    }

    /// One page of sessions matching `filter`, most recent activity first (keyset paging: pass
    /// the returned [`Page::next`] to get the next page; stable while sessions are added).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// use user_sessions::{Filter, PageRequest, Status, Store};
    /// let store = Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let mut request = PageRequest { after: None, limit: 100 };
    /// loop {
    ///     let page = store.list(&Filter::default().status(Status::Expired), &request).await?;
    ///     for session in &page.sessions { println!("{}", session.id) }
    ///     match page.next { Some(next) => request.after = Some(next), None => break }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, filter: &Filter, page: &PageRequest) -> Result<Page> {
        self.backend.list(filter, page, now()).await
    }

    /// Figures about all sessions: active, expired, distinct users, oldest and newest.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> user_sessions::Result<()> {
    /// let store = user_sessions::Store::open("sqlite::memory:").await?;
    /// store.migrate().await?;
    /// let stats = store.stats().await?;
    /// assert_eq!((stats.active, stats.expired, stats.users), (0, 0, 0));
    /// # Ok(()) }
    /// ```
    pub async fn stats(&self) -> Result<Stats> {
        self.backend.stats(now()).await
    }

    fn is_live(&self, info: &SessionInfo) -> bool {
        let now = now();
        if info.is_expired_at(now) {
            return false;
        }
        match self.absolute_lifetime {
            Some(lifetime) => info.created_at + lifetime > now,
            None => true,
        }
    }
}

fn encode(record: &SessionRecord) -> Result<StoredSession> {
    stored_entries(record.info.clone(), &record.data)
}

/// A session as the backend stores it, from its columns (normalized) and data entries.
fn stored_entries<'a>(
    mut info: SessionInfo,
    data: impl IntoIterator<Item = (&'a String, &'a serde_json::Value)>,
) -> Result<StoredSession> {
    info.normalize();
    Ok(StoredSession {
        info,
        data: encode_entries(data)?,
    })
}

/// Session data as stored: a JSON object of the entries.
fn encode_entries<'a>(
    entries: impl IntoIterator<Item = (&'a String, &'a serde_json::Value)>,
) -> Result<Vec<u8>> {
    use serde::Serializer as _;
    let mut data = Vec::with_capacity(128);
    serde_json::Serializer::new(&mut data)
        .collect_map(entries)
        .map_err(Error::Encode)?;
    Ok(data)
}

/// How many entries a decoded session's map holds before it must grow (a map of 8 buckets).
/// Integrations add an entry to every loaded session and applications often one more; a full
/// map grows — rehashing every entry — on the next insert, even of a key it already holds.
const DATA_CAPACITY: usize = 7;

/// Decodes stored session data (a JSON object) into a map with room for [`DATA_CAPACITY`]
/// entries or more.
fn decode_entries(data: &[u8]) -> serde_json::Result<SessionData> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = SessionData;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object of session entries")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<SessionData, A::Error> {
            let mut data =
                SessionData::with_capacity(DATA_CAPACITY.max(map.size_hint().unwrap_or(0)));
            while let Some((key, value)) = map.next_entry()? {
                data.insert(key, value);
            }
            Ok(data)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    let entries = serde::Deserializer::deserialize_map(&mut deserializer, Entries)?;
    deserializer.end()?;
    Ok(entries)
}

fn decode(stored: StoredSession) -> Option<SessionRecord> {
    match decode_entries(&stored.data) {
        Ok(data) => Some(SessionRecord {
            info: stored.info,
            data,
        }),
        Err(error) => {
            tracing::warn!(
                session = %stored.info.id,
                %error,
                "session data could not be decoded; treating the session as absent"
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_data_has_room_for_more_entries() {
        let data = decode_entries(br#"{"user":{"id":7},"cart":[1,2]}"#).unwrap();
        assert_eq!(data["user"], serde_json::json!({"id": 7}));
        assert_eq!(data.len(), 2);
        assert!(data.capacity() >= DATA_CAPACITY);
        let empty = decode_entries(b"{}").unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn decoding_data_rejects_what_is_not_one_json_object() {
        for bad in [
            &b"[1,2]"[..],
            b"{\"a\":1} trailing",
            b"{\"a\":",
            b"null",
            b"",
        ] {
            assert!(decode_entries(bad).is_err(), "{bad:?}");
        }
        // Later duplicates win, as with any JSON object read into a map.
        let data = decode_entries(br#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(data["a"], 2);
        let spaced = decode_entries(b" { \"a\" : [ 1.5 ] } ").unwrap();
        assert_eq!(spaced["a"], serde_json::json!([1.5]));
    }

    /// A pseudo-random JSON value of every kind, a few levels deep.
    fn arbitrary_value(seed: &mut u64, depth: u32) -> serde_json::Value {
        use serde_json::{Value, json};
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let n = *seed;
        let kinds = if depth == 0 { 7 } else { 9 };
        match n % kinds {
            0 => Value::Null,
            1 => Value::Bool(n & 16 == 0),
            2 => json!((n >> 8) as i64 >> (n % 64)),
            3 => json!(-((n >> 8) as i64 >> (n % 64))),
            4 => json!(f64::from((n >> 40) as u32) / 7.0),
            5 => json!(
                ["plain", "with \"quotes\"", "tab\there", "ünïcödé", ""][(n >> 8) as usize % 5]
            ),
            6 => json!(n),
            7 => Value::Array(
                (0..n % 5)
                    .map(|_| arbitrary_value(seed, depth - 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..n % 5)
                    .map(|i| (format!("k{i}"), arbitrary_value(seed, depth - 1)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn data_decodes_as_serde_json_decodes_it_whatever_its_shape() {
        let mut seed = 0x5eed_u64;
        for _ in 0..2_000 {
            let entries = 1 + seed as usize % 4;
            let data: SessionData = (0..entries)
                .map(|i| (format!("entry {i}"), arbitrary_value(&mut seed, 3)))
                .collect();
            let text = encode_entries(&data).unwrap();
            let json: SessionData = serde_json::from_slice(&text).unwrap();
            assert_eq!(decode_entries(&text).unwrap(), json);
        }
    }
}
