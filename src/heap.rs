//! Heapsort and top-k selection. std's sorts are faster on large inputs, but each of their
//! instantiations adds 2–9 kB to the wasm build, and ours sort at most a few thousand items
//! at a time (one article's term occurrences, one query's candidate passages).

/// Sorts `v` so that `less(a, b)` holds for no `b` before `a` (not stable).
pub(crate) fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for start in (0..v.len() / 2).rev() {
        sift_down(v, start, v.len(), &mut less);
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut less);
    }
}

/// Sorts `v` in ascending order (not stable).
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a < b);
}

/// Keeps the `k` first items of `v` in the order `less`, sorted, in O(n log k).
pub(crate) fn top_k<T>(v: &mut Vec<T>, k: usize, mut less: impl FnMut(&T, &T) -> bool) {
    if v.len() > k && k > 0 {
        // A heap of the k best so far, ordered by `less` so that its root is the one that
        // comes last: any better item replaces it.
        for start in (0..k / 2).rev() {
            sift_down(&mut v[..k], start, k, &mut less);
        }
        for i in k..v.len() {
            if less(&v[i], &v[0]) {
                v.swap(0, i);
                sift_down(&mut v[..k], 0, k, &mut less);
            }
        }
    }
    v.truncate(k);
    sort_by(v, less);
}

/// Restores the max-heap order (by `less`) of `v[..end]` below `node`.
fn sift_down<T>(v: &mut [T], mut node: usize, end: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * node + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[node], &v[child]) {
            return;
        }
        v.swap(node, child);
        node = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_std() {
        let rows: [(&str, Vec<i32>); 6] = [
            ("empty", vec![]),
            ("one", vec![7]),
            ("sorted", vec![1, 2, 3, 4, 5]),
            ("reversed", vec![5, 4, 3, 2, 1]),
            ("duplicates", vec![3, 1, 3, 1, 2, 2, 3]),
            ("mixed", vec![9, -4, 0, 12, 7, 7, -30, 5, 1, 88, 2]),
        ];
        for (name, input) in rows {
            let mut ours = input.clone();
            sort(&mut ours);
            let mut std = input.clone();
            std.sort_unstable();
            assert_eq!(ours, std, "{name}");
            for k in 0..=input.len() + 1 {
                let mut top = input.clone();
                top_k(&mut top, k, |a, b| a > b);
                let mut expected = input.clone();
                expected.sort_unstable_by(|a, b| b.cmp(a));
                expected.truncate(k);
                assert_eq!(top, expected, "{name}, top {k}");
            }
        }
    }

    #[test]
    fn sorts_many_pseudo_random_values() {
        let mut x = 0x2545_f491_u32;
        let input: Vec<u32> = (0..5000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x % 1000
            })
            .collect();
        let mut ours = input.clone();
        sort(&mut ours);
        let mut std = input;
        std.sort_unstable();
        assert_eq!(ours, std);
    }
}
