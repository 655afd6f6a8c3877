//! "New sign-in: Chrome on Windows, London — just now": when a user signs in from a device
//! their history does not know ([`Event::SignedIn`] with `new_device`), their other sessions
//! show a notice on the sessions page until one of them dismisses it.
//!
//! The notices wait in this process's memory (a demo keeps no table of its own): a restart
//! forgets them, and several app servers would each hold their own.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;
use user_sessions::PublicId;
use user_sessions::events::{Event, Subscription};
use user_sessions::humanize::{self, GeoIp, Language};
use user_sessions_axum::pages::{Notice, NoticeRequest, Translations};

/// Where the dismiss button of a notice posts.
pub const DISMISS_URL: &str = "/notices/dismiss";

/// The newest sign-ins kept per user; older ones drop off.
const PER_USER: usize = 3;

/// Users with pending notices at most; beyond that, new ones are not noted (the demo's memory
/// stays bounded whatever signs in).
const USERS: usize = 10_000;

/// A sign-in from a device the user had not used lately.
#[derive(Debug, Clone)]
struct NewSignIn {
    session: PublicId,
    user_agent: Option<String>,
    ip: Option<IpAddr>,
    at: OffsetDateTime,
}

/// The pending new-sign-in notices of every user. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct NewSignIns {
    pending: Arc<Mutex<HashMap<String, Vec<NewSignIn>>>>,
}

impl NewSignIns {
    fn pending(&self) -> MutexGuard<'_, HashMap<String, Vec<NewSignIn>>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes the new-device sign-ins among `events`, until the store is gone.
    pub fn follow(&self, mut events: Subscription) -> tokio::task::JoinHandle<()> {
        let notices = self.clone();
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                notices.note(&event);
            }
        })
    }

    /// Notes `event` if it is a sign-in from a new device.
    pub fn note(&self, event: &Event) {
        let Event::SignedIn {
            id,
            user_id,
            ip,
            user_agent,
            new_device: true,
        } = event
        else {
            return;
        };
        let mut pending = self.pending();
        if pending.len() >= USERS && !pending.contains_key(user_id) {
            return;
        }
        let sign_ins = pending.entry(user_id.clone()).or_default();
        sign_ins.push(NewSignIn {
            session: *id,
            user_agent: user_agent.clone(),
            ip: *ip,
            at: OffsetDateTime::now_utc(),
        });
        if sign_ins.len() > PER_USER {
            sign_ins.remove(0);
        }
    }

    /// Forgets the user's notices (they dismissed them).
    pub fn dismiss(&self, user_id: &str) {
        self.pending().remove(user_id);
    }

    /// The notices the sessions page shows `request`'s user: their new-device sign-ins, newest
    /// first, but not the one of the session looking (it is the new device).
    pub fn notices(
        &self,
        request: &NoticeRequest,
        translations: &Translations,
        geoip: &GeoIp,
    ) -> Vec<Notice> {
        let sign_ins: Vec<NewSignIn> = match self.pending().get(&request.user_id) {
            Some(sign_ins) => sign_ins
                .iter()
                .rev()
                .filter(|s| Some(s.session) != request.session)
                .cloned()
                .collect(),
            None => return Vec::new(),
        };
        let locale = &request.locale;
        let now = OffsetDateTime::now_utc();
        sign_ins
            .iter()
            .map(|sign_in| {
                let user_agent = sign_in.user_agent.as_deref().unwrap_or_default();
                let device = match (
                    humanize::browser(user_agent),
                    humanize::platform(user_agent),
                ) {
                    (Some(browser), Some(platform)) => translations.message(
                        locale,
                        "device-on",
                        &[("browser", browser.into()), ("platform", platform.into())],
                    ),
                    _ => humanize::device(user_agent)
                        .unwrap_or_else(|| translations.message(locale, "device-unknown", &[])),
                };
                let language = Language::from_tag(&locale.tag()).unwrap_or_default();
                let location = sign_in.ip.and_then(|ip| geoip.location_in(ip, language));
                let ago = translations.time_ago(locale, sign_in.at, now);
                let text = match location {
                    Some(location) => translations.message(
                        locale,
                        "demo-new-sign-in",
                        &[
                            ("device", device.into()),
                            ("location", location.into()),
                            ("ago", ago.into()),
                        ],
                    ),
                    None => translations.message(
                        locale,
                        "demo-new-sign-in-unlocated",
                        &[("device", device.into()), ("ago", ago.into())],
                    ),
                };
                Notice::new(text).dismissed_at(DISMISS_URL)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in(n: u8, user: &str, new_device: bool) -> Event {
        Event::SignedIn {
            id: PublicId::from_secret(&[n]),
            user_id: user.into(),
            ip: Some("81.2.69.160".parse().unwrap()),
            user_agent: Some("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36".into()),
            new_device,
        }
    }

    #[test]
    fn only_new_devices_are_noted_a_few_per_user_until_dismissed() {
        let notices = NewSignIns::default();
        notices.note(&signed_in(0, "1", false));
        assert!(notices.pending().is_empty());
        for n in 1..=5 {
            notices.note(&signed_in(n, "1", true));
        }
        notices.note(&signed_in(9, "2", true));
        let kept: Vec<PublicId> = notices.pending()["1"].iter().map(|s| s.session).collect();
        assert_eq!(
            kept,
            [3, 4, 5].map(|n| PublicId::from_secret(&[n])).to_vec()
        );
        notices.dismiss("1");
        assert!(!notices.pending().contains_key("1"));
        assert!(notices.pending().contains_key("2"));
    }
}
