//! Password hashing on one thread of its own.
//!
//! An argon2 hash takes megabytes of memory and tens of milliseconds of one core. Run on
//! tokio's blocking pool, a burst of sign-ins hashes on many threads at once, and the
//! allocator keeps a buffer for each of them long after: the process grew to hundreds of
//! megabytes under a sign-in load. One thread does every hash here, one after the other, so
//! hashing never takes more than one core and the process keeps one buffer.
//!
//! The hashes are argon2id with 7 MiB, 5 passes and 1 lane: of the settings the OWASP
//! Password Storage Cheat Sheet lists as equally strong (19 MiB with 2 passes, 12 MiB with 3,
//! 9 MiB with 4, 7 MiB with 5), the one that needs the least memory, which keeps a small
//! server small. Verifying reads the parameters from the stored hash, so hashes made with
//! other settings still verify.

use std::sync::mpsc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::oneshot;

/// Memory per hash, in KiB.
const MEMORY_KIB: u32 = 7 * 1024;
/// Passes over the memory.
const PASSES: u32 = 5;

/// Hashes a password (argon2id, a random salt) into a PHC string.
///
/// ```
/// use demo::password_thread::{hash_password, verify_password};
/// let hash = hash_password("wonderland");
/// assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"));
/// assert!(verify_password("wonderland", &hash));
/// assert!(!verify_password("Wonderland", &hash));
/// ```
pub fn hash_password(password: &str) -> String {
    // Constant parameters and a generated salt: argon2 refuses neither.
    let params = Params::new(MEMORY_KIB, PASSES, 1, None).expect("valid argon2 parameters");
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with these parameters")
        .to_string()
}

/// Whether `password` is the one `hash` (a PHC string, any argon2 parameters) was made from;
/// false for a malformed hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

type Job = Box<dyn FnOnce() + Send>;

/// A handle to the hashing thread; cloning it shares the thread.
#[derive(Clone, Debug)]
pub struct PasswordThread {
    jobs: mpsc::Sender<Job>,
}

/// The hashing thread is gone (it panicked).
#[derive(Debug, thiserror::Error)]
#[error("the password hashing thread stopped")]
pub struct Stopped;

impl PasswordThread {
    /// Starts the thread; it ends when the last handle is dropped.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let hashing = demo::password_thread::PasswordThread::start().unwrap();
    /// let hash = hashing.run(|| demo::password_thread::hash_password("wonderland")).await.unwrap();
    /// assert!(demo::password_thread::verify_password("wonderland", &hash));
    /// # }
    /// ```
    pub fn start() -> std::io::Result<PasswordThread> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("password-hashing".into())
            .spawn(move || {
                for job in queue {
                    // A job that panics fails its own caller only (its result is dropped).
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            })?;
        Ok(PasswordThread { jobs })
    }

    /// Runs `work` on the thread, after the jobs queued before it.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Stopped> {
        let (done, result) = oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| Stopped)?;
        result.await.map_err(|_| Stopped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_job_runs_on_the_same_thread_not_the_callers() {
        let thread = PasswordThread::start().unwrap();
        let id = || std::thread::current().id();
        let (first, second) = tokio::join!(thread.run(id), thread.run(id));
        let first = first.unwrap();
        assert_eq!(first, second.unwrap());
        assert_ne!(first, std::thread::current().id());
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone() {
        let thread = PasswordThread::start().unwrap();
        let result = thread.run(|| -> u8 { panic!("a job that panics") }).await;
        assert!(result.is_err());
        assert_eq!(
            thread.run(|| 7).await.unwrap(),
            7,
            "the thread keeps working"
        );
    }
}
