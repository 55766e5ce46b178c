//! The priority queue of the solver's Dijkstra searches. Their keys are integers popped in
//! increasing order, which a radix heap serves in O(1) per push; it is a self-contained data
//! structure, so it has its own file.

/// A monotone priority queue of `(key, item)` for Dijkstra's searches (a radix heap): every key
/// pushed must be at least the last key popped (a smaller one is raised to it). Push is O(1), pop
/// amortised O(log key range): bucket `b > 0` holds the keys whose highest bit differing from the
/// last popped key is bit `b − 1`, bucket 0 the keys equal to it.
#[derive(Debug, Clone, Default)]
pub(super) struct RadixHeap {
    last: u64,
    buckets: Vec<Vec<(u64, u32)>>,
    /// Bit `b` is set when bucket `b` is not empty.
    full: u128,
}

impl RadixHeap {
    /// An empty heap.
    pub(super) fn new() -> RadixHeap {
        RadixHeap { last: 0, buckets: vec![Vec::new(); 65], full: 0 }
    }

    #[inline]
    fn bucket(&self, key: u64) -> usize {
        64 - (key ^ self.last).leading_zeros() as usize
    }

    /// Adds `item` with `key` (raised to the last key popped if smaller).
    #[inline]
    pub(super) fn push(&mut self, key: u64, item: u32) {
        let key = key.max(self.last);
        let b = self.bucket(key);
        self.buckets[b].push((key, item));
        self.full |= 1 << b;
    }

    /// Takes out an entry with the smallest key.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<(u64, u32)> {
        if self.full & 1 == 0 {
            if self.full == 0 {
                return None;
            }
            // Move the first non-empty bucket's entries down, around its smallest key.
            let b = self.full.trailing_zeros() as usize;
            let entries = std::mem::take(&mut self.buckets[b]);
            self.full &= !(1 << b);
            self.last = entries.iter().map(|e| e.0).min().expect("a non-empty bucket");
            for &(key, item) in &entries {
                let to = self.bucket(key);
                self.buckets[to].push((key, item));
                self.full |= 1 << to;
            }
            // Keep the allocation for later.
            let mut entries = entries;
            entries.clear();
            if self.buckets[b].is_empty() {
                self.buckets[b] = entries;
            }
        }
        let e = self.buckets[0].pop();
        if self.buckets[0].is_empty() {
            self.full &= !1;
        }
        e
    }

    /// Empties the heap for a new search, keeping the buckets' allocations.
    pub(super) fn clear(&mut self) {
        while self.full != 0 {
            let b = self.full.trailing_zeros() as usize;
            self.buckets[b].clear();
            self.full &= !(1 << b);
        }
        self.last = 0;
    }
}
