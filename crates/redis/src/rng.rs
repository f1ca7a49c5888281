//! Redis's `math.random`: a platform-independent 48-bit linear
//! congruential generator with lrand48's constants, one state for the
//! whole server (shared by every engine and by EVAL and FCALL alike),
//! never reset, not even by SCRIPT FLUSH.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use ferrous_stdlib::math::Rng;

const MULT: u64 = 0x5_DEEC_E66D;
const ADD: u64 = 0xB;
const MASK: u64 = (1 << 48) - 1;
/// The state a server starts with.
pub const INITIAL_STATE: u64 = 0x1234_ABCD_330E;
/// The largest value a draw can take plus one: draws are reduced modulo
/// this and divided by it (Redis uses INT32_MAX).
const DRAW_MAX: u64 = 2_147_483_647;

/// The generator's state, shared between every engine of a server.
#[derive(Debug)]
pub struct RandState(AtomicU64);

impl Default for RandState {
    fn default() -> Self {
        RandState(AtomicU64::new(INITIAL_STATE))
    }
}

impl RandState {
    /// The next 31-bit output (`lrand48`).
    pub fn next(&self) -> u64 {
        let mut x = self.0.load(Ordering::Relaxed);
        loop {
            let n = x.wrapping_mul(MULT).wrapping_add(ADD) & MASK;
            match self
                .0
                .compare_exchange_weak(x, n, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return n >> 17,
                Err(cur) => x = cur,
            }
        }
    }

    /// `srand48(seed)`: the high 32 bits of the state from the seed, the
    /// low 16 bits 0x330E. Redis passes the seed as a 32-bit int.
    pub fn seed(&self, seed: i32) {
        let s = seed as u32 as u64;
        self.0.store((s << 16) | 0x330E, Ordering::Relaxed);
    }

    /// The raw 48-bit state (for tests).
    pub fn state(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The [`Rng`] installed into each script VM's math library.
pub struct RedisRng(pub Arc<RandState>);

impl Rng for RedisRng {
    fn next_f64(&mut self) -> f64 {
        (self.0.next() % DRAW_MAX) as f64 / DRAW_MAX as f64
    }

    fn seed(&mut self, seed: i32) {
        self.0.seed(seed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lua_random_upto(r: &mut RedisRng, u: f64) -> f64 {
        (r.next_f64() * u).floor() + 1.0
    }

    #[test]
    fn matches_redis_sequence() {
        // Observed on redis-server 7.0.15: a fresh server's first
        // math.random(1000) is 397; after math.randomseed(1) the first two
        // are 42 and 455.
        let mut r = RedisRng(Arc::new(RandState::default()));
        assert_eq!(lua_random_upto(&mut r, 1000.0), 397.0);
        r.seed(1);
        assert_eq!(lua_random_upto(&mut r, 1000.0), 42.0);
        assert_eq!(lua_random_upto(&mut r, 1000.0), 455.0);
    }
}
