//! The layer's settings, shared by its services, the store's saves and [`Sessions`](crate::Sessions).

use std::time::Duration;

use crate::client::ClientSettings;
use crate::user::UserSource;

/// The default activity interval: last activity is written at most this often per session.
pub const DEFAULT_ACTIVITY_INTERVAL: Duration = Duration::from_secs(60);

/// How a [`UserSessionsLayer`](crate::UserSessionsLayer) is configured.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub client: ClientSettings,
    /// How stale last activity may get before it is written again, milliseconds.
    pub activity_interval_ms: i64,
    /// Where the signed-in user comes from.
    pub user_source: UserSource,
    /// End a session whose stored user the authentication layer no longer accepts.
    pub end_rejected: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            client: ClientSettings::default(),
            activity_interval_ms: interval_ms(DEFAULT_ACTIVITY_INTERVAL),
            user_source: UserSource::default(),
            end_rejected: true,
        }
    }
}

/// An interval in milliseconds (saturating).
pub(crate) fn interval_ms(interval: Duration) -> i64 {
    i64::try_from(interval.as_millis()).unwrap_or(i64::MAX)
}
