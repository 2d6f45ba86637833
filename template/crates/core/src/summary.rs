//! Mean, standard deviation, minimum and maximum in one pass over the values, on several
//! threads for large inputs.
//!
//! NumPy's `x.mean(), x.std(), x.min(), x.max()` reads the values five times and allocates a
//! temporary as large as the input for the deviations. Here the values are cut into blocks
//! small enough to stay in the CPU's fastest cache: each block is read from memory once, and
//! its second pass (the deviations from the block's own mean, which keeps the standard
//! deviation exact) reads the cache. The blocks' partial results are then merged in order.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::KernelError;

/// Values per block: 16 KiB, which stays in the first-level cache between a block's two passes.
const BLOCK: usize = 2048;

/// Values per task, the unit of work a thread takes at a time: 64 blocks, 1 MiB, enough work
/// to make taking the next task cost nothing by comparison.
const TASK: usize = 64 * BLOCK;

/// Independent accumulators per pass: the compiler turns them into SIMD lanes.
const LANES: usize = 8;

/// The fewest values worth a thread of their own: below this, starting the thread costs more
/// than the work it takes over.
pub const MIN_VALUES_PER_THREAD: usize = 1 << 18;

/// The statistics of a set of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// How many values there are.
    pub count: usize,
    /// Their arithmetic mean.
    pub mean: f64,
    /// Their population standard deviation (NumPy's default, `ddof=0`).
    pub std: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

/// The number of threads [`summarize`] uses for `len` values when the caller does not say: one
/// per available CPU, and no more than there are [`MIN_VALUES_PER_THREAD`] values to share.
pub fn default_threads(len: usize) -> NonZeroUsize {
    let cpus = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    NonZeroUsize::new(cpus.min(len / MIN_VALUES_PER_THREAD)).unwrap_or(NonZeroUsize::MIN)
}

/// Summarizes `values` in one pass, sharing the work among up to `threads` threads.
///
/// A NaN anywhere makes every statistic NaN, as it does in NumPy. The result is the same, bit
/// for bit, whatever the number of threads: the blocks and tasks are always the same, and their
/// partial results are merged in the same order.
pub fn summarize(values: &[f64], threads: NonZeroUsize) -> Result<Summary, KernelError> {
    if values.is_empty() {
        return Err(KernelError::Empty);
    }
    let tasks: Vec<&[f64]> = values.chunks(TASK).collect();
    let threads = threads.get().min(tasks.len());
    // Threads take the next task until none is left, rather than a fixed share each: when the
    // operating system pauses one thread (the machine is busy), the others take over its part.
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(task) = tasks.get(index) else {
                return done;
            };
            done.push((index, Partial::of_task(task)));
        }
    };
    let mut partials = vec![Partial::EMPTY; tasks.len()];
    thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = vec![work()];
        for other in others {
            // A panic in a worker carries on here with its own message, so that the caller
            // sees what went wrong rather than "a scoped thread panicked".
            match other.join() {
                Ok(tasks) => done.push(tasks),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (index, partial) in done.into_iter().flatten() {
            partials[index] = partial;
        }
    });
    let total = partials
        .into_iter()
        .reduce(Partial::merge)
        .unwrap_or(Partial::EMPTY);
    Ok(total.finish())
}

/// What one block contributes: its count, mean, sum of squared deviations from its mean,
/// extremes, and whether it holds a NaN.
#[derive(Debug, Clone, Copy)]
struct Partial {
    count: usize,
    mean: f64,
    squares: f64,
    min: f64,
    max: f64,
    nan: bool,
}

impl Partial {
    const EMPTY: Partial = Partial {
        count: 0,
        mean: 0.0,
        squares: 0.0,
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        nan: false,
    };

    /// The blocks of a task, merged in order.
    fn of_task(task: &[f64]) -> Partial {
        task.chunks(BLOCK)
            .map(Partial::of)
            .reduce(Partial::merge)
            .unwrap_or(Partial::EMPTY)
    }

    /// Two passes over a block that fits in the cache: its mean first, then the squared
    /// deviations from that mean (exact, where a running sum of squares would lose digits).
    fn of(block: &[f64]) -> Partial {
        let mut sums = [0.0; LANES];
        let mut mins = [f64::INFINITY; LANES];
        let mut maxs = [f64::NEG_INFINITY; LANES];
        let lanes = block.chunks_exact(LANES);
        let rest = lanes.remainder();
        for chunk in lanes {
            for (lane, &value) in chunk.iter().enumerate() {
                sums[lane] += value;
                mins[lane] = smaller(value, mins[lane]);
                maxs[lane] = larger(value, maxs[lane]);
            }
        }
        for (lane, &value) in rest.iter().enumerate() {
            sums[lane] += value;
            mins[lane] = smaller(value, mins[lane]);
            maxs[lane] = larger(value, maxs[lane]);
        }
        let sum: f64 = sums.iter().sum();
        let mean = sum / block.len() as f64;

        let mut squares = [0.0; LANES];
        let lanes = block.chunks_exact(LANES);
        let rest = lanes.remainder();
        for chunk in lanes {
            for (lane, &value) in chunk.iter().enumerate() {
                let deviation = value - mean;
                squares[lane] += deviation * deviation;
            }
        }
        for (lane, &value) in rest.iter().enumerate() {
            let deviation = value - mean;
            squares[lane] += deviation * deviation;
        }

        Partial {
            count: block.len(),
            mean,
            squares: squares.iter().sum(),
            min: mins.into_iter().fold(f64::INFINITY, smaller),
            max: maxs.into_iter().fold(f64::NEG_INFINITY, larger),
            // A sum is NaN when a value is NaN, or when +inf and -inf meet: only then look.
            nan: sum.is_nan() && block.iter().any(|value| value.is_nan()),
        }
    }

    /// Chan, Golub and LeVeque's rule for combining two blocks' means and squared deviations.
    fn merge(self, other: Partial) -> Partial {
        let count = self.count + other.count;
        let (a, b, n) = (self.count as f64, other.count as f64, count as f64);
        let delta = other.mean - self.mean;
        let (mean, squares) = if self.mean.is_finite() && other.mean.is_finite() {
            (
                self.mean + delta * (b / n),
                self.squares + other.squares + delta * delta * (a * b / n),
            )
        } else {
            // An infinity: the weighted mean follows IEEE arithmetic (inf, or NaN when both
            // signs meet), and the deviations from an infinite mean are not numbers.
            (self.mean * (a / n) + other.mean * (b / n), f64::NAN)
        };
        Partial {
            count,
            mean,
            squares,
            min: smaller(other.min, self.min),
            max: larger(other.max, self.max),
            nan: self.nan || other.nan,
        }
    }

    fn finish(self) -> Summary {
        if self.nan {
            return Summary {
                count: self.count,
                mean: f64::NAN,
                std: f64::NAN,
                min: f64::NAN,
                max: f64::NAN,
            };
        }
        Summary {
            count: self.count,
            mean: self.mean,
            std: (self.squares / self.count as f64).sqrt(),
            min: self.min,
            max: self.max,
        }
    }
}

/// `value` when it is smaller than `than`, else `than`: a NaN `value` is skipped (the sums report
/// it). A comparison rather than `f64::min`, because it compiles to a SIMD min instruction.
fn smaller(value: f64, than: f64) -> f64 {
    if value < than { value } else { than }
}

/// `value` when it is larger than `than`, else `than`; see [`smaller`].
fn larger(value: f64, than: f64) -> f64 {
    if value > than { value } else { than }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn threads(count: usize) -> NonZeroUsize {
        NonZeroUsize::new(count).unwrap()
    }

    /// The textbook two-pass answer, to compare with.
    fn two_pass(values: &[f64]) -> (f64, f64) {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let variance =
            values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / values.len() as f64;
        (mean, variance.sqrt())
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn a_small_example() {
        let summary = summarize(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], threads(1)).unwrap();
        assert_eq!(
            summary,
            Summary {
                count: 8,
                mean: 5.0,
                std: 2.0,
                min: 2.0,
                max: 9.0
            }
        );
    }

    #[test]
    fn one_value_has_no_spread() {
        let summary = summarize(&[-3.5], threads(1)).unwrap();
        assert_eq!((summary.mean, summary.std), (-3.5, 0.0));
        assert_eq!((summary.min, summary.max), (-3.5, -3.5));
    }

    #[test]
    fn no_values_is_an_error() {
        assert_eq!(summarize(&[], threads(4)), Err(KernelError::Empty));
    }

    #[test]
    fn many_blocks_agree_with_two_passes() {
        // Not a multiple of the block or the lane count, so every remainder path runs.
        let values: Vec<f64> = (0..100_003)
            .map(|i| ((i * 7919) % 1000) as f64 / 7.0 - 50.0)
            .collect();
        let summary = summarize(&values, threads(1)).unwrap();
        let (mean, std) = two_pass(&values);
        assert!(close(summary.mean, mean), "{} {mean}", summary.mean);
        assert!(close(summary.std, std), "{} {std}", summary.std);
        assert_eq!(summary.min, -50.0);
        assert_eq!(summary.max, 999.0 / 7.0 - 50.0);
        assert_eq!(summary.count, 100_003);
    }

    #[test]
    fn a_large_offset_does_not_lose_the_spread() {
        // A running sum of squares would cancel catastrophically here.
        let values: Vec<f64> = (0..10_000).map(|i| 1e9 + (i % 2) as f64).collect();
        let summary = summarize(&values, threads(1)).unwrap();
        assert_eq!(summary.mean, 1e9 + 0.5);
        assert_eq!(summary.std, 0.5);
    }

    #[test]
    fn every_thread_count_gives_the_same_bits() {
        let values: Vec<f64> = (0..1_000_001).map(|i| (i as f64).sin()).collect();
        let one = summarize(&values, threads(1)).unwrap();
        for count in [2, 3, 7, 1000] {
            assert_eq!(
                summarize(&values, threads(count)).unwrap(),
                one,
                "{count} threads"
            );
        }
    }

    #[test]
    fn a_nan_makes_every_statistic_nan() {
        let mut values = vec![1.0; 5000];
        values[4321] = f64::NAN;
        let summary = summarize(&values, threads(2)).unwrap();
        assert_eq!(summary.count, 5000);
        for statistic in [summary.mean, summary.std, summary.min, summary.max] {
            assert!(statistic.is_nan());
        }
    }

    #[test]
    fn infinities_follow_ieee_arithmetic() {
        let summary = summarize(&[1.0, f64::INFINITY, 3.0], threads(1)).unwrap();
        assert_eq!(summary.mean, f64::INFINITY);
        assert!(summary.std.is_nan());
        assert_eq!((summary.min, summary.max), (1.0, f64::INFINITY));
        let both = summarize(&[f64::NEG_INFINITY, f64::INFINITY], threads(1)).unwrap();
        assert!(both.mean.is_nan());
        assert_eq!((both.min, both.max), (f64::NEG_INFINITY, f64::INFINITY));
    }

    #[test]
    fn an_infinity_in_a_later_block_still_gives_an_infinite_mean() {
        let mut values = vec![1.0; 3 * BLOCK];
        values[2 * BLOCK + 5] = f64::NEG_INFINITY;
        let summary = summarize(&values, threads(1)).unwrap();
        assert_eq!(summary.mean, f64::NEG_INFINITY);
        assert_eq!(summary.min, f64::NEG_INFINITY);
    }

    #[test]
    fn small_inputs_stay_on_one_thread() {
        assert_eq!(default_threads(0).get(), 1);
        assert_eq!(default_threads(MIN_VALUES_PER_THREAD - 1).get(), 1);
        let cpus = thread::available_parallelism().map_or(1, NonZeroUsize::get);
        assert_eq!(
            default_threads(MIN_VALUES_PER_THREAD * 64).get(),
            cpus.min(64)
        );
    }
}
