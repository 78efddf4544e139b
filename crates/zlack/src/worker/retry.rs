//! When to try a failed job again: exponential backoff with jitter, or
//! exactly as long as the platform asked (`Retry-After`), whichever is longer.

use std::time::Duration;

use rand::Rng;

const BASE: Duration = Duration::from_secs(2);
const CAP: Duration = Duration::from_secs(15 * 60);

/// The delay before attempt `attempt + 1`, after `attempt` failures (from 1).
///
/// Backoff doubles from two seconds up to fifteen minutes, and the actual
/// delay is drawn from the upper half of that interval ("equal jitter"), so
/// jobs that failed together spread out without ever retrying at once.
/// `Retry-After` is a floor: we never come back sooner than asked, and add
/// up to 10 % so a crowd of waiting jobs does not return in one instant.
pub fn next_delay(attempt: i64, retry_after: Option<Duration>, rng: &mut impl Rng) -> Duration {
    if let Some(wait) = retry_after {
        let spread = wait.as_millis() as u64 / 10;
        return wait + Duration::from_millis(rng.gen_range(0..=spread.max(50)));
    }
    let exponent = attempt.clamp(1, 32) as u32 - 1;
    let backoff = BASE
        .checked_mul(1u32 << exponent.min(20))
        .unwrap_or(CAP)
        .min(CAP);
    let half = backoff / 2;
    half + Duration::from_millis(rng.gen_range(0..=half.as_millis() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn backoff_doubles_and_stops_at_the_cap() {
        let mut rng = StdRng::seed_from_u64(7);
        let first = next_delay(1, None, &mut rng);
        assert!(first >= Duration::from_secs(1) && first <= Duration::from_secs(2));
        let fifth = next_delay(5, None, &mut rng);
        assert!(fifth >= Duration::from_secs(16) && fifth <= Duration::from_secs(32));
        let late = next_delay(40, None, &mut rng);
        assert!(late >= CAP / 2 && late <= CAP);
    }

    proptest! {
        #[test]
        fn retry_after_is_never_undercut(secs in 0u64..3600, attempt in 1i64..50, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let wait = Duration::from_secs(secs);
            let delay = next_delay(attempt, Some(wait), &mut rng);
            prop_assert!(delay >= wait);
            prop_assert!(delay <= wait + wait / 10 + Duration::from_millis(50));
        }

        #[test]
        fn backoff_stays_within_bounds(attempt in -5i64..100, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let delay = next_delay(attempt, None, &mut rng);
            prop_assert!(delay >= BASE / 2 && delay <= CAP);
        }
    }
}
