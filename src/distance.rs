//! Edit distance for typo tolerance: Levenshtein over chars, cut off at a bound.

/// How many edits a word of `len` chars may have and still be taken for another:
/// none below four letters (too many short words are one edit apart), one from four,
/// two from eight.
pub(crate) fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The Levenshtein distance between `a` and `b` if it is at most `max`, else `None`.
/// Runs in O(len × (2·max + 1)) by filling only the diagonal band that can stay within `max`.
pub(crate) fn within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    if a == b {
        return Some(0);
    }
    let big = max + 1;
    let mut previous: Vec<usize> = (0..=b.len()).map(|j| j.min(big)).collect();
    let mut current = vec![big; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(max).max(1);
        let hi = (row + max).min(b.len());
        current.fill(big);
        current[0] = row.min(big);
        let mut row_min = current[0];
        for j in lo..=hi {
            let substitution = previous[j - 1] + usize::from(ca != b[j - 1]);
            let deletion = previous[j] + 1;
            let insertion = current[j - 1] + 1;
            let cost = substitution.min(deletion).min(insertion).min(big);
            current[j] = cost;
            row_min = row_min.min(cost);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= max).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str, max: usize) -> Option<usize> {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        within(&a, &b, max)
    }

    #[test]
    fn distances() {
        let rows = [
            ("identical", "same", "same", 2, Some(0)),
            ("substitution", "revolution", "revolutoon", 2, Some(1)),
            (
                "transposition is two",
                "revolution",
                "revolutoin",
                2,
                Some(2),
            ),
            ("insertion", "soviet", "sovviet", 1, Some(1)),
            ("deletion", "blanquism", "blanqism", 1, Some(1)),
            ("beyond bound", "state", "stage", 0, None),
            ("length gap", "a", "abcd", 2, None),
            ("empty", "", "ab", 2, Some(2)),
            ("unicode", "vendôme", "vendome", 1, Some(1)),
        ];
        for (name, a, b, max, expected) in rows.iter().map(|r| (r.0, r.1, r.2, r.3, r.4)) {
            assert_eq!(d(a, b, max), expected, "{name}");
        }
    }

    #[test]
    fn allowed_edits_grow_with_length() {
        assert_eq!(allowed_edits(3), 0);
        assert_eq!(allowed_edits(4), 1);
        assert_eq!(allowed_edits(8), 2);
    }
}
