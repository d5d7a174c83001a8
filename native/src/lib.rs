//! The scoring core's per-character loops, compiled: clause boundaries
//! (`services/scoring/clauses.py: split_clauses`) and the notes model's features
//! (`services/scoring/notes_model.py: read`).
//!
//! Each function gives exactly what its Python original gives, which stays the reference
//! (and serves when this module is not installed): `tests/unit/test_native.py` holds the
//! two to the same results on the labelled corpus, recombined and hostile notes and random
//! mixes of separators. Both take text of one byte per character: `split_clauses` only ASCII
//! notes (the caller keeps the Python path for the rest, where `re`'s Unicode rules apply);
//! `NotesFeatures` the notes with every non-ASCII character replaced by one that is no word
//! character, as the model reads them.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

// --- clause boundaries ----------------------------------------------------------------------

/// `\s` of Python's `re` (and `str.isspace`) on ASCII: \t \n \v \f \r, \x1c-\x1f and space.
fn is_space(b: u8) -> bool {
    matches!(b, 9..=13 | 28..=32)
}

/// `\w` of Python's `re` on ASCII.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The words of `_BOUNDARY`'s "contrast" group, in its order.
const CONTRAST: [&[u8]; 9] = [
    b"but",
    b"however",
    b"although",
    b"though",
    b"whereas",
    b"yet",
    b"except that",
    b"other than that",
    b"apart from that",
];

/// `_BOUNDARY.match(notes, p)` on ASCII text: the end of the boundary starting at `p`, and
/// whether it is a contrast word; the branches tried in the regex's order (those of "–" and
/// "—" never match ASCII).
fn boundary_at(t: &[u8], p: usize) -> Option<(usize, bool)> {
    let n = t.len();
    let c = t[p];
    let space_at = |i: usize| i < n && is_space(t[i]);
    // [!?]+(?=\s|$): a shorter run ends before another "!" or "?", never before a space.
    if c == b'!' || c == b'?' {
        let mut q = p;
        while q < n && (t[q] == b'!' || t[q] == b'?') {
            q += 1;
        }
        return if q == n || is_space(t[q]) { Some((q, false)) } else { None };
    }
    // (?<!\.)\.(?=\s|$)
    if c == b'.' {
        let alone = !(p > 0 && t[p - 1] == b'.');
        return if alone && (p + 1 == n || is_space(t[p + 1])) { Some((p + 1, false)) } else { None };
    }
    // \n\s*
    if c == b'\n' {
        let mut q = p + 1;
        while space_at(q) {
            q += 1;
        }
        return Some((q, false));
    }
    // ;
    if c == b';' {
        return Some((p + 1, false));
    }
    if is_space(c) {
        // \s\|\s
        if p + 1 < n && t[p + 1] == b'|' && space_at(p + 2) {
            return Some((p + 3, false));
        }
        if p + 1 < n && t[p + 1] == b'-' {
            // \s[-–—]{1,2}\s: two dashes then a space, else one dash then a space
            if p + 2 < n && t[p + 2] == b'-' && space_at(p + 3) {
                return Some((p + 4, false));
            }
            if space_at(p + 2) {
                return Some((p + 3, false));
            }
            // \s-{2}
            if p + 2 < n && t[p + 2] == b'-' {
                return Some((p + 3, false));
            }
        }
        return None;
    }
    // (?<=\s)[(\[]
    if c == b'(' || c == b'[' {
        return if p > 0 && is_space(t[p - 1]) { Some((p + 1, false)) } else { None };
    }
    // (?<!\()[)\]](?!\w)
    if c == b')' || c == b']' {
        let opened = p > 0 && t[p - 1] == b'(';
        let word_after = p + 1 < n && is_word(t[p + 1]);
        return if !opened && !word_after { Some((p + 1, false)) } else { None };
    }
    // \b(?:but|however|...)\b, case-insensitive: only at a word's first letter, one that starts a contrast word
    let first = c.to_ascii_lowercase();
    if matches!(first, b'a' | b'b' | b'e' | b'h' | b'o' | b't' | b'w' | b'y') && !(p > 0 && is_word(t[p - 1])) {
        for word in CONTRAST {
            let end = p + word.len();
            if end <= n && t[p..end].eq_ignore_ascii_case(word) && !(end < n && is_word(t[end])) {
                return Some((end, true));
            }
        }
    }
    None
}

/// The abbreviations after which a full stop ends no sentence (`_ABBREVIATION`).
const ABBREVIATIONS: [&[u8]; 7] = [b"e.g", b"i.e", b"vs", b"etc", b"approx", b"incl", b"cf"];

/// `_ABBREVIATION.search(notes, max(0, end - 8), end)`: an abbreviation starting at a word
/// boundary and ending at `end`, or just before a newline that ends the searched text (`$`).
fn abbreviation_before(t: &[u8], end: usize) -> bool {
    let low = end.saturating_sub(8);
    let mut ends = vec![end];
    if end > 0 && t[end - 1] == b'\n' {
        ends.push(end - 1);
    }
    ends.iter().any(|&e| {
        ABBREVIATIONS.iter().any(|word| {
            e >= low + word.len() && {
                let m = e - word.len();
                t[m..e].eq_ignore_ascii_case(word) && !(m > 0 && is_word(t[m - 1]))
            }
        })
    })
}

/// `_BULLET.match(notes, start, end)`: `\s*(?:[-*•·>]+|\d{1,2}[.)])\s+`, the match's end.
fn bullet_end(t: &[u8], start: usize, end: usize) -> Option<usize> {
    let mut i = start;
    while i < end && is_space(t[i]) {
        i += 1;
    }
    let marker = |b: u8| b == b'-' || b == b'*' || b == b'>';
    let mut j;
    if i < end && marker(t[i]) {
        j = i;
        while j < end && marker(t[j]) {
            j += 1;
        }
    } else if i < end && t[i].is_ascii_digit() {
        j = i + 1;
        if j < end && t[j].is_ascii_digit() {
            j += 1;
        }
        if !(j < end && (t[j] == b'.' || t[j] == b')')) {
            return None;
        }
        j += 1;
    } else {
        return None;
    }
    let after = j;
    while j < end && is_space(t[j]) {
        j += 1;
    }
    if j == after {
        None
    } else {
        Some(j)
    }
}

type Span = (usize, usize, bool, usize);

/// `_add`: the stretch without its bullet and surrounding space, if it holds a letter or digit.
fn add(t: &[u8], spans: &mut Vec<Span>, start: usize, end: usize, contrast: bool, sentence: usize) {
    let mut a = bullet_end(t, start, end).unwrap_or(start);
    let mut z = end;
    while a < z && is_space(t[a]) {
        a += 1;
    }
    while z > a && is_space(t[z - 1]) {
        z -= 1;
    }
    if t[a..z].iter().any(|b| b.is_ascii_alphanumeric()) {
        spans.push((a, z, contrast, sentence));
    }
}

/// `split_clauses(notes)` for ASCII notes: (start, end, contrast, sentence, question) of each clause.
#[pyfunction]
fn split_clauses(notes: &str) -> PyResult<Vec<(usize, usize, bool, usize, bool)>> {
    let t = notes.as_bytes();
    if !t.is_ascii() {
        return Err(PyValueError::new_err("split_clauses takes ASCII notes only"));
    }
    let n = t.len();
    let mut spans: Vec<Span> = Vec::new();
    let mut questions: HashSet<usize> = HashSet::new();
    let (mut start, mut contrast, mut sentence) = (0usize, false, 0usize);
    let mut p = 0;
    while p < n {
        let (end, is_contrast) = match boundary_at(t, p) {
            Some(found) => found,
            None => {
                p += 1;
                continue;
            }
        };
        if is_contrast {
            add(t, &mut spans, start, p, contrast, sentence);
            start = p;
            contrast = true;
        } else if !(end == p + 1 && t[p] == b'.' && abbreviation_before(t, p)) {
            add(t, &mut spans, start, p, contrast, sentence);
            start = end;
            contrast = false;
            if matches!(t[p], b'.' | b'!' | b'?' | b'\n') {
                if t[p..end].contains(&b'?') {
                    questions.insert(sentence);
                }
                sentence += 1;
            }
        }
        p = end;
    }
    add(t, &mut spans, start, n, contrast, sentence);
    if spans.is_empty() {
        return Ok(vec![(0, n, false, 0, false)]);
    }
    Ok(spans.into_iter().map(|(s, e, c, k)| (s, e, c, k, questions.contains(&k))).collect())
}

// --- the notes model's features -------------------------------------------------------------

/// `[a-z0-9+#'./-]`: the characters a word goes on with.
fn in_word(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'#' | b'\'' | b'.' | b'/' | b'-')
}

/// `[a-z0-9+#]`: the characters a word may end with.
fn ends_word(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'+' || b == b'#'
}

/// `_STRIPPED_WORD.findall(folded, start, end)` on lower-case text, into `found`:
/// `[a-z](?:[a-z0-9+#'./-]{0,29}[a-z0-9+#])?`, each match the longest one, the next searched after it.
fn words<'a>(l: &'a [u8], start: usize, end: usize, found: &mut Vec<&'a [u8]>) {
    found.clear();
    let mut p = start;
    while p < end {
        if !l[p].is_ascii_lowercase() {
            p += 1;
            continue;
        }
        let limit = (p + 31).min(end);
        let (mut q, mut last) = (p + 1, p);
        while q < limit && in_word(l[q]) {
            if ends_word(l[q]) {
                last = q;
            }
            q += 1;
        }
        found.push(&l[p..=last]);
        p = last + 1;
    }
}

/// The hash rustc uses for its own maps (FxHash): eight bytes at a time, fast on the short
/// keys here (words, word pairs, feature numbers).
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The notes model's weights, keyed by feature as the artifact names them (a word, `NOT_word`,
/// or two words and a space between), its bias, and how the running Python adds floats.
#[pyclass(frozen)]
struct NotesFeatures {
    weights: FxMap<Vec<u8>, f64>,
    /// Two bits per weighted feature in 2^16 (8 KB, which stays in cache): most of a note's
    /// features have no weight, and most of those find a bit unset here, without a lookup.
    bloom: Vec<u64>,
    negations: FxMap<Vec<u8>, ()>,
    bias: f64,
    compensated: bool,
}

/// The two bits of a feature in `NotesFeatures::bloom`.
fn bloom_bits(key: &[u8]) -> (usize, usize) {
    let mut hash = Fx::default();
    hash.write(key);
    let h = hash.finish();
    ((h >> 32) as usize & 0xffff, (h >> 48) as usize & 0xffff)
}

#[pymethods]
impl NotesFeatures {
    /// `compensated`: whether the running Python's `sum()` of floats is compensated
    /// (Neumaier, CPython 3.12 on) rather than plain left-to-right addition.
    #[new]
    fn new(weights: HashMap<String, f64>, negations: Vec<String>, bias: f64, compensated: bool) -> Self {
        let weights: FxMap<Vec<u8>, f64> = weights.into_iter().map(|(k, v)| (k.into_bytes(), v)).collect();
        let mut bloom = vec![0u64; 1 << 10];
        for key in weights.keys() {
            let (a, b) = bloom_bits(key);
            bloom[a >> 6] |= 1 << (a & 63);
            bloom[b >> 6] |= 1 << (b & 63);
        }
        NotesFeatures {
            weights,
            bloom,
            negations: negations.into_iter().map(|k| (k.into_bytes(), ())).collect(),
            bias,
            compensated,
        }
    }

    /// `notes_model.read`: the logit and the index of the clause to quote (-1: none), each
    /// clause a tuple starting with its start and end offsets. `text`: ASCII, one byte per
    /// character (the caller replaces the others).
    fn read(&self, text: &str, clauses: Vec<Bound<'_, PyTuple>>) -> PyResult<(f64, isize)> {
        let spans = self.spans(text, &clauses)?;
        let (sums, squares) = self.sums(&text.as_bytes().to_ascii_lowercase(), &spans);
        let scale = if squares == 0 { 1.0 } else { (squares as f64).sqrt() };
        let pushes: Vec<f64> = sums.iter().map(|s| s / scale).collect();
        let logit = self.bias + self.sum(pushes.iter().copied());
        let mut best: isize = -1;
        if let Some(first) = pushes.first() {
            let (mut at, mut most) = (0, *first);
            for (i, &push) in pushes.iter().enumerate().skip(1) {
                if (logit >= 0.0 && push > most) || (logit < 0.0 && push < most) {
                    at = i;
                    most = push;
                }
            }
            if (logit >= 0.0 && most > 0.0) || (logit < 0.0 && most < 0.0) {
                best = at as isize;
            }
        }
        Ok((logit, best))
    }

    /// Each clause's weighted sum (weight * count of its features, in the trainer's order:
    /// distinct features in order of first occurrence, words then pairs) and the sum of the
    /// squared counts of the note's distinct features: what `read` computes from, for tests.
    fn clause_sums(&self, text: &str, clauses: Vec<Bound<'_, PyTuple>>) -> PyResult<(Vec<f64>, u64)> {
        let spans = self.spans(text, &clauses)?;
        Ok(self.sums(&text.as_bytes().to_ascii_lowercase(), &spans))
    }
}

impl NotesFeatures {
    fn spans(&self, text: &str, clauses: &[Bound<'_, PyTuple>]) -> PyResult<Vec<(usize, usize)>> {
        if !text.is_ascii() {
            return Err(PyValueError::new_err("the notes model reads ASCII text: one byte per character"));
        }
        let mut spans = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let end: usize = clause.get_item(1)?.extract()?;
            let end = end.min(text.len());
            let start: usize = clause.get_item(0)?.extract()?;
            spans.push((start.min(end), end));
        }
        Ok(spans)
    }

    /// `sum(values)` as the running Python computes it: from the int 0 (the first value is
    /// added to 0 exactly), then plain addition, or Neumaier's compensated addition.
    fn sum(&self, values: impl Iterator<Item = f64>) -> f64 {
        let mut values = values;
        let mut total = match values.next() {
            Some(first) => 0.0 + first,
            None => return 0.0,
        };
        if !self.compensated {
            return values.fold(total, |sum, x| sum + x);
        }
        let mut compensation = 0.0;
        for x in values {
            let t = total + x;
            if total.abs() >= x.abs() {
                compensation += (total - t) + x;
            } else {
                compensation += (x - t) + total;
            }
            total = t;
        }
        if compensation != 0.0 && compensation.is_finite() {
            total += compensation;
        }
        total
    }

    fn weight(&self, key: &[u8]) -> Option<f64> {
        let (a, b) = bloom_bits(key);
        if self.bloom[a >> 6] & (1 << (a & 63)) == 0 || self.bloom[b >> 6] & (1 << (b & 63)) == 0 {
            return None;
        }
        self.weights.get(key).copied()
    }

    fn sums(&self, lower: &[u8], spans: &[(usize, usize)]) -> (Vec<f64>, u64) {
        // The note's distinct words (as (negated, spelling)) and pairs (two word numbers),
        // numbered together as they first occur; each number's spelling (a pair's is not
        // needed), weight and count in the note.
        let hint = lower.len() / 4 + 8;
        let mut word_ids: FxMap<(bool, &[u8]), usize> = FxMap::with_capacity_and_hasher(hint, Default::default());
        let mut pair_ids: FxMap<(usize, usize), usize> = FxMap::with_capacity_and_hasher(hint, Default::default());
        let mut spelled: Vec<(bool, &[u8])> = Vec::with_capacity(2 * hint);
        let mut weights: Vec<Option<f64>> = Vec::with_capacity(2 * hint);
        let mut counts: Vec<u64> = Vec::with_capacity(2 * hint);
        let mut key: Vec<u8> = Vec::with_capacity(80);
        let spell = |key: &mut Vec<u8>, (negated, word): (bool, &[u8])| {
            if negated {
                key.extend_from_slice(b"NOT_");
            }
            key.extend_from_slice(word);
        };
        // Per clause: its words, its features' numbers (words, then pairs), its distinct
        // features in order with their counts, and where each number sits among them.
        let (mut found, mut ids): (Vec<&[u8]>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut mine: Vec<(usize, u64)> = Vec::new();
        let (mut slot, mut stamp): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut sums = Vec::with_capacity(spans.len());
        for (clause, &(start, end)) in spans.iter().enumerate() {
            words(lower, start, end, &mut found);
            let first = found.iter().position(|w| self.negations.contains_key(*w));
            ids.clear();
            for (i, &word) in found.iter().enumerate() {
                let negated = matches!(first, Some(f) if i >= f && !self.negations.contains_key(word));
                let number = match word_ids.entry((negated, word)) {
                    Entry::Occupied(known) => *known.get(),
                    Entry::Vacant(new) => {
                        key.clear();
                        spell(&mut key, (negated, word));
                        weights.push(self.weight(&key));
                        counts.push(0);
                        spelled.push((negated, word));
                        *new.insert(counts.len() - 1)
                    }
                };
                ids.push(number);
            }
            for j in 1..found.len() {
                let (a, b) = (ids[j - 1], ids[j]);
                let number = match pair_ids.entry((a, b)) {
                    Entry::Occupied(known) => *known.get(),
                    Entry::Vacant(new) => {
                        key.clear();
                        spell(&mut key, spelled[a]);
                        key.push(b' ');
                        spell(&mut key, spelled[b]);
                        weights.push(self.weight(&key));
                        counts.push(0);
                        spelled.push((false, b""));
                        *new.insert(counts.len() - 1)
                    }
                };
                ids.push(number);
            }
            mine.clear();
            slot.resize(counts.len(), 0);
            stamp.resize(counts.len(), usize::MAX);
            for &id in &ids {
                counts[id] += 1;
                if stamp[id] == clause {
                    mine[slot[id]].1 += 1;
                } else {
                    stamp[id] = clause;
                    slot[id] = mine.len();
                    mine.push((id, 1));
                }
            }
            sums.push(self.sum(mine.iter().filter_map(|&(id, count)| weights[id].map(|w| w * count as f64))));
        }
        (sums, counts.iter().map(|c| c * c).sum())
    }
}

#[pymodule]
fn hiring_pipeline_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(split_clauses, m)?)?;
    m.add_class::<NotesFeatures>()?;
    Ok(())
}
