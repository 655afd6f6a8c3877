//! Password hashing on one thread of its own.
//!
//! An argon2 hash with the recommended parameters takes about 19 MB and tens of milliseconds
//! of one core. Run on tokio's blocking pool, a burst of sign-ins hashes on many threads at
//! once, and the allocator keeps a 19 MB buffer for each of them long after: the process grew
//! to hundreds of megabytes under a sign-in load. One thread does every hash here, one after
//! the other, so hashing never takes more than one core and the process keeps one buffer.

use std::sync::mpsc;

use tokio::sync::oneshot;

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
    /// let hash = hashing.run(|| password_auth::generate_hash("wonderland")).await.unwrap();
    /// assert!(password_auth::verify_password("wonderland", &hash).is_ok());
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
