//! The mean of every window of consecutive values, in one pass whatever the window's length.

use std::num::NonZeroUsize;

use crate::KernelError;

/// How many windows of `window` values fit in `len` values: `len - window + 1`.
pub fn window_count(len: usize, window: NonZeroUsize) -> Result<usize, KernelError> {
    let window = window.get();
    if window > len {
        return Err(KernelError::WindowTooLong { window, len });
    }
    Ok(len - window + 1)
}

/// The mean of each window of `window` consecutive values, in a new vector of
/// [`window_count`] elements: element `i` is the mean of `values[i..i + window]`.
pub fn rolling_mean(values: &[f64], window: NonZeroUsize) -> Result<Vec<f64>, KernelError> {
    let mut means = vec![0.0; window_count(values.len(), window)?];
    rolling_mean_into(values, window, &mut means)?;
    Ok(means)
}

/// [`rolling_mean`] into a buffer of the caller's, which must hold exactly [`window_count`]
/// elements.
///
/// A window that holds a NaN has a NaN mean, and the windows after it are not affected; a
/// window holding an infinity has an infinite mean (NaN when it holds both signs).
pub fn rolling_mean_into(
    values: &[f64],
    window: NonZeroUsize,
    out: &mut [f64],
) -> Result<(), KernelError> {
    let expected = window_count(values.len(), window)?;
    if out.len() != expected {
        return Err(KernelError::OutputLength {
            expected,
            actual: out.len(),
        });
    }
    let window = window.get();
    let mut sum = WindowSum::default();
    for &value in &values[..window - 1] {
        sum.add(value);
    }
    // Each step adds the value entering the window and removes the one leaving it.
    let entering = &values[window - 1..];
    for ((mean, &enters), &leaves) in out.iter_mut().zip(entering).zip(values) {
        sum.add(enters);
        *mean = sum.mean(window);
        sum.remove(leaves);
    }
    Ok(())
}

/// A running sum that values enter and leave.
///
/// Finite values go into a compensated sum (Neumaier's), so the digits that a large value
/// takes away when it leaves come back; NaNs and infinities are counted instead of added, so
/// that one of them spoils only the windows that hold it.
#[derive(Debug, Default)]
struct WindowSum {
    sum: f64,
    compensation: f64,
    nans: usize,
    positive_infinities: usize,
    negative_infinities: usize,
}

impl WindowSum {
    fn add(&mut self, value: f64) {
        if value.is_finite() {
            self.add_finite(value);
        } else if value.is_nan() {
            self.nans += 1;
        } else if value > 0.0 {
            self.positive_infinities += 1;
        } else {
            self.negative_infinities += 1;
        }
    }

    fn remove(&mut self, value: f64) {
        if value.is_finite() {
            self.add_finite(-value);
        } else if value.is_nan() {
            self.nans -= 1;
        } else if value > 0.0 {
            self.positive_infinities -= 1;
        } else {
            self.negative_infinities -= 1;
        }
    }

    fn add_finite(&mut self, value: f64) {
        let sum = self.sum + value;
        // The low digits lost in `sum`, from whichever of the two was smaller.
        self.compensation += if self.sum.abs() >= value.abs() {
            (self.sum - sum) + value
        } else {
            (value - sum) + self.sum
        };
        self.sum = sum;
    }

    fn mean(&self, window: usize) -> f64 {
        match (
            self.nans,
            self.positive_infinities,
            self.negative_infinities,
        ) {
            (0, 0, 0) => (self.sum + self.compensation) / window as f64,
            (0, _, 0) => f64::INFINITY,
            (0, 0, _) => f64::NEG_INFINITY,
            _ => f64::NAN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(size: usize) -> NonZeroUsize {
        NonZeroUsize::new(size).unwrap()
    }

    #[test]
    fn means_of_each_window() {
        assert_eq!(
            rolling_mean(&[1.0, 2.0, 3.0, 4.0, 5.0], window(2)).unwrap(),
            [1.5, 2.5, 3.5, 4.5]
        );
        assert_eq!(
            rolling_mean(&[1.0, 2.0, 3.0, 4.0, 5.0], window(5)).unwrap(),
            [3.0]
        );
    }

    #[test]
    fn a_window_of_one_is_the_values() {
        assert_eq!(
            rolling_mean(&[0.5, -1.0, 8.0], window(1)).unwrap(),
            [0.5, -1.0, 8.0]
        );
    }

    #[test]
    fn a_window_longer_than_the_values_is_an_error() {
        assert_eq!(
            rolling_mean(&[1.0, 2.0], window(3)),
            Err(KernelError::WindowTooLong { window: 3, len: 2 })
        );
        assert_eq!(
            rolling_mean(&[], window(1)),
            Err(KernelError::WindowTooLong { window: 1, len: 0 })
        );
    }

    #[test]
    fn an_output_of_the_wrong_length_is_an_error() {
        let mut out = [0.0; 3];
        assert_eq!(
            rolling_mean_into(&[1.0, 2.0, 3.0], window(2), &mut out),
            Err(KernelError::OutputLength {
                expected: 2,
                actual: 3
            })
        );
    }

    #[test]
    fn a_nan_spoils_only_the_windows_that_hold_it() {
        let means = rolling_mean(&[1.0, f64::NAN, 3.0, 4.0, 5.0], window(2)).unwrap();
        assert!(means[0].is_nan() && means[1].is_nan());
        assert_eq!(means[2..], [3.5, 4.5]);
    }

    #[test]
    fn infinities_spoil_only_the_windows_that_hold_them() {
        let values = [
            f64::INFINITY,
            1.0,
            f64::NEG_INFINITY,
            f64::INFINITY,
            2.0,
            4.0,
        ];
        let means = rolling_mean(&values, window(2)).unwrap();
        assert_eq!(means[0], f64::INFINITY);
        assert_eq!(means[1], f64::NEG_INFINITY);
        assert!(means[2].is_nan());
        assert_eq!(means[3..], [f64::INFINITY, 3.0]);
    }

    #[test]
    fn a_large_value_leaving_the_window_takes_no_digits_with_it() {
        // Without compensation, 1e16 + 1 is 1e16, and the 1 would be lost for good.
        let means = rolling_mean(&[1e16, 1.0, 1.0, 1.0], window(2)).unwrap();
        assert_eq!(means, [5e15 + 0.5, 1.0, 1.0]);
    }

    #[test]
    fn a_long_run_matches_summing_each_window() {
        let values: Vec<f64> = (0..10_000).map(|i| ((i * 37) % 101) as f64 * 0.1).collect();
        let means = rolling_mean(&values, window(64)).unwrap();
        for (start, mean) in means.iter().enumerate() {
            let expected = values[start..start + 64].iter().sum::<f64>() / 64.0;
            assert!(
                (mean - expected).abs() < 1e-12,
                "window {start}: {mean} {expected}"
            );
        }
    }
}
