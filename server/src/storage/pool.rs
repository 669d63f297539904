//! A small blocking connection pool: storage work runs on tokio's blocking
//! threads, so a checkout may simply wait. Broken connections are dropped
//! rather than returned, and a new one is opened in their place.

use equally_rules::error::Result;
use parking_lot::{Condvar, Mutex};
use std::ops::{Deref, DerefMut};

pub struct Pool<C> {
    idle: Mutex<(Vec<C>, usize)>,
    freed: Condvar,
    max: usize,
    connect: Box<dyn Fn() -> Result<C> + Send + Sync>,
}

impl<C> Pool<C> {
    pub fn new(max: usize, connect: impl Fn() -> Result<C> + Send + Sync + 'static) -> Self {
        Pool {
            idle: Mutex::new((Vec::new(), 0)),
            freed: Condvar::new(),
            max: max.max(1),
            connect: Box::new(connect),
        }
    }

    /// A connection, waiting for one to be returned when all are in use.
    pub fn get(&self) -> Result<Pooled<'_, C>> {
        let mut guard = self.idle.lock();
        loop {
            if let Some(conn) = guard.0.pop() {
                return Ok(Pooled {
                    pool: self,
                    conn: Some(conn),
                    broken: false,
                });
            }
            if guard.1 < self.max {
                guard.1 += 1;
                drop(guard);
                return match (self.connect)() {
                    Ok(conn) => Ok(Pooled {
                        pool: self,
                        conn: Some(conn),
                        broken: false,
                    }),
                    Err(e) => {
                        self.idle.lock().1 -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            self.freed.wait(&mut guard);
        }
    }
}

pub struct Pooled<'a, C> {
    pool: &'a Pool<C>,
    conn: Option<C>,
    broken: bool,
}

impl<C> Pooled<'_, C> {
    /// Drops this connection instead of returning it (after an I/O error).
    pub fn mark_broken(&mut self) {
        self.broken = true;
    }
}

impl<C> Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn
            .as_ref()
            .expect("a pooled connection is present until drop")
    }
}

impl<C> DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn
            .as_mut()
            .expect("a pooled connection is present until drop")
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        let mut guard = self.pool.idle.lock();
        match self.conn.take() {
            Some(conn) if !self.broken => guard.0.push(conn),
            _ => guard.1 -= 1,
        }
        self.pool.freed.notify_one();
    }
}
