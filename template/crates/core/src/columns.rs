//! The mean and standard deviation of every column of a matrix stored row after row.

use crate::KernelError;

/// Each column's mean and population standard deviation.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnStats {
    /// The mean of each column.
    pub mean: Vec<f64>,
    /// The population standard deviation (`ddof=0`) of each column.
    pub std: Vec<f64>,
}

/// The statistics of each column of the matrix whose rows of `columns` values follow each
/// other in `values` (row-major, C order).
///
/// Two passes, each reading the rows in the order they lie in memory: the column sums, then the
/// squared deviations from each column's mean. A NaN makes its own column's statistics NaN.
pub fn column_stats(values: &[f64], columns: usize) -> Result<ColumnStats, KernelError> {
    if columns == 0 {
        // Rows of no values: no statistics to compute, whatever the number of rows.
        return Ok(ColumnStats {
            mean: Vec::new(),
            std: Vec::new(),
        });
    }
    if values.is_empty() {
        return Err(KernelError::Empty);
    }
    if values.len() % columns != 0 {
        return Err(KernelError::Ragged {
            len: values.len(),
            columns,
        });
    }
    let rows = (values.len() / columns) as f64;

    let mut mean = vec![0.0; columns];
    for row in values.chunks_exact(columns) {
        for (sum, value) in mean.iter_mut().zip(row) {
            *sum += value;
        }
    }
    for sum in &mut mean {
        *sum /= rows;
    }

    let mut squares = vec![0.0; columns];
    for row in values.chunks_exact(columns) {
        for ((square, value), mean) in squares.iter_mut().zip(row).zip(&mean) {
            let deviation = value - mean;
            *square += deviation * deviation;
        }
    }
    let std = squares
        .into_iter()
        .map(|square| (square / rows).sqrt())
        .collect();
    Ok(ColumnStats { mean, std })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_on_its_own() {
        // [[1, 10], [3, 10], [5, 40]]
        let stats = column_stats(&[1.0, 10.0, 3.0, 10.0, 5.0, 40.0], 2).unwrap();
        assert_eq!(stats.mean, [3.0, 20.0]);
        assert_eq!(stats.std[1], 200.0_f64.sqrt());
        assert_eq!(stats.std[0], (8.0_f64 / 3.0).sqrt());
    }

    #[test]
    fn one_row_has_no_spread() {
        let stats = column_stats(&[1.0, 2.0, 3.0], 3).unwrap();
        assert_eq!(stats.mean, [1.0, 2.0, 3.0]);
        assert_eq!(stats.std, [0.0, 0.0, 0.0]);
    }

    #[test]
    fn no_rows_is_an_error_and_no_columns_an_empty_result() {
        assert_eq!(column_stats(&[], 3), Err(KernelError::Empty));
        assert_eq!(
            column_stats(&[], 0).unwrap(),
            ColumnStats {
                mean: vec![],
                std: vec![]
            }
        );
    }

    #[test]
    fn a_ragged_buffer_is_an_error() {
        assert_eq!(
            column_stats(&[1.0, 2.0, 3.0], 2),
            Err(KernelError::Ragged { len: 3, columns: 2 })
        );
    }

    #[test]
    fn a_nan_spoils_only_its_column() {
        let stats = column_stats(&[1.0, f64::NAN, 3.0, 4.0], 2).unwrap();
        assert_eq!((stats.mean[0], stats.std[0]), (2.0, 1.0));
        assert!(stats.mean[1].is_nan() && stats.std[1].is_nan());
    }
}
