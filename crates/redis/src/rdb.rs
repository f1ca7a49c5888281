//! `FUNCTION DUMP` / `FUNCTION RESTORE` payloads in Redis 7.0's format:
//! for each library the RDB opcode FUNCTION2 (245) and the library code as
//! an RDB string (LZF-compressed when that saves space, as Redis does),
//! then the RDB version (10, two bytes little-endian) and the CRC-64 of
//! everything before it (Redis's Jones polynomial, little-endian).

/// RDB opcode of a function library (7.0's format).
const OPCODE_FUNCTION2: u8 = 245;
/// RDB version written by Redis 7.0.
pub const RDB_VERSION: u16 = 10;

const RDB_ENCVAL: u8 = 3;
const RDB_ENC_INT8: u8 = 0;
const RDB_ENC_INT16: u8 = 1;
const RDB_ENC_INT32: u8 = 2;
const RDB_ENC_LZF: u8 = 3;

/// Builds the payload for libraries with code `codes`.
pub fn dump(codes: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        out.push(OPCODE_FUNCTION2);
        save_string(&mut out, code);
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Why a payload was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    /// Bad footer: too short, newer version or checksum mismatch.
    VersionOrChecksum,
    /// Something other than a function library in the body ("given type
    /// is not a function").
    Corrupt,
    /// A library string that cannot be read: truncated, damaged LZF data,
    /// or an uncompressed length that cannot be (or could not be)
    /// allocated ("Failed loading library payload", as Redis answers when
    /// `rdbGenericLoadStringObject` fails).
    BadString,
}

/// Reads the library codes out of a payload.
pub fn restore(payload: &[u8]) -> Result<Vec<Vec<u8>>, RestoreError> {
    if payload.len() < 10 {
        return Err(RestoreError::VersionOrChecksum);
    }
    let footer = payload.len() - 10;
    let version = u16::from_le_bytes([payload[footer], payload[footer + 1]]);
    if version > RDB_VERSION {
        return Err(RestoreError::VersionOrChecksum);
    }
    let mut crc_bytes = [0u8; 8];
    crc_bytes.copy_from_slice(&payload[footer + 2..]);
    let crc = u64::from_le_bytes(crc_bytes);
    // Redis skips the check when the stored checksum is zero.
    if crc != 0 && crc64(0, &payload[..footer + 2]) != crc {
        return Err(RestoreError::VersionOrChecksum);
    }
    // Like Redis, read the whole payload while the position is inside the
    // body: a last item may run into the footer's bytes.
    let mut pos = 0;
    let mut codes = Vec::new();
    while pos < footer {
        let op = payload[pos];
        pos += 1;
        if op != OPCODE_FUNCTION2 {
            return Err(RestoreError::Corrupt);
        }
        let s = load_string(payload, &mut pos).ok_or(RestoreError::BadString)?;
        codes.push(s);
    }
    Ok(codes)
}

fn save_len(out: &mut Vec<u8>, len: u64) {
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.push(0x40 | (len >> 8) as u8);
        out.push(len as u8);
    } else if len <= u32::MAX as u64 {
        out.push(0x80);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&len.to_be_bytes());
    }
}

/// Redis's `rdbSaveRawString` for strings that are not integers: LZF when
/// longer than 20 bytes and compression saves at least 4 bytes.
fn save_string(out: &mut Vec<u8>, s: &[u8]) {
    if let Some(enc) = int_encoding(s) {
        out.extend_from_slice(&enc);
        return;
    }
    if s.len() > 20 {
        if let Some(c) = lzf_compress(s, s.len() - 4) {
            out.push(0xC0 | RDB_ENC_LZF);
            save_len(out, c.len() as u64);
            save_len(out, s.len() as u64);
            out.extend_from_slice(&c);
            return;
        }
    }
    save_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// Redis stores strings of up to 11 bytes that are canonical integers
/// fitting 32 bits as integers.
fn int_encoding(s: &[u8]) -> Option<Vec<u8>> {
    if s.is_empty() || s.len() > 11 {
        return None;
    }
    let v = crate::reply::parse_i64(s)?;
    let mut out = Vec::new();
    if (i8::MIN as i64..=i8::MAX as i64).contains(&v) {
        out.push(0xC0 | RDB_ENC_INT8);
        out.push(v as i8 as u8);
    } else if (i16::MIN as i64..=i16::MAX as i64).contains(&v) {
        out.push(0xC0 | RDB_ENC_INT16);
        out.extend_from_slice(&(v as i16).to_le_bytes());
    } else if (i32::MIN as i64..=i32::MAX as i64).contains(&v) {
        out.push(0xC0 | RDB_ENC_INT32);
        out.extend_from_slice(&(v as i32).to_le_bytes());
    } else {
        return None;
    }
    Some(out)
}

/// Reads a length; `Err(true)` means "encoded value" with the encoding in
/// the returned number.
fn load_len(b: &[u8], pos: &mut usize) -> Option<(u64, bool)> {
    let first = *b.get(*pos)?;
    *pos += 1;
    match first >> 6 {
        0 => Some(((first & 0x3f) as u64, false)),
        1 => {
            let second = *b.get(*pos)?;
            *pos += 1;
            Some(((((first & 0x3f) as u64) << 8) | second as u64, false))
        }
        2 => match first {
            0x80 => {
                let s = b.get(*pos..*pos + 4)?;
                *pos += 4;
                Some((u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as u64, false))
            }
            0x81 => {
                let s = b.get(*pos..*pos + 8)?;
                *pos += 8;
                let mut a = [0u8; 8];
                a.copy_from_slice(s);
                Some((u64::from_be_bytes(a), false))
            }
            _ => None,
        },
        _ => {
            debug_assert_eq!(first >> 6, RDB_ENCVAL);
            Some(((first & 0x3f) as u64, true))
        }
    }
}

fn load_string(b: &[u8], pos: &mut usize) -> Option<Vec<u8>> {
    let (len, encoded) = load_len(b, pos)?;
    if encoded {
        return match len as u8 {
            RDB_ENC_INT8 => {
                let v = *b.get(*pos)? as i8;
                *pos += 1;
                Some(v.to_string().into_bytes())
            }
            RDB_ENC_INT16 => {
                let s = b.get(*pos..*pos + 2)?;
                *pos += 2;
                Some(i16::from_le_bytes([s[0], s[1]]).to_string().into_bytes())
            }
            RDB_ENC_INT32 => {
                let s = b.get(*pos..*pos + 4)?;
                *pos += 4;
                Some(
                    i32::from_le_bytes([s[0], s[1], s[2], s[3]])
                        .to_string()
                        .into_bytes(),
                )
            }
            RDB_ENC_LZF => {
                let (clen, _) = load_len(b, pos)?;
                let (ulen, _) = load_len(b, pos)?;
                let clen = usize::try_from(clen).ok()?;
                let ulen = usize::try_from(ulen).ok()?;
                let end = pos.checked_add(clen)?;
                let data = b.get(*pos..end)?;
                *pos = end;
                // The declared length comes from the payload: never trust
                // it for an allocation. LZF cannot expand more than
                // LZF_MAX_RATIO times, so a larger claim is damage (Redis
                // fails the same payload, after its allocation or its
                // decompression fails); what is left is reserved
                // fallibly.
                if ulen == 0 {
                    // liblzf fills no byte of an empty target and Redis
                    // takes its 0 for the expected length.
                    return Some(Vec::new());
                }
                if ulen / LZF_MAX_RATIO > clen {
                    return None;
                }
                let out = lzf_decompress(data, ulen)?;
                if out.len() != ulen {
                    return None;
                }
                Some(out)
            }
            _ => None,
        };
    }
    let len = usize::try_from(len).ok()?;
    let end = pos.checked_add(len)?;
    let s = b.get(*pos..end)?.to_vec();
    *pos = end;
    Some(s)
}

// --------------------------------------------------------------------- LZF

const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
const MAX_LIT: usize = 1 << 5;
const MAX_OFF: usize = 1 << 13;
const MAX_REF: usize = (1 << 8) + (1 << 3);
/// The most output one input byte of LZF can produce: a long back
/// reference is 3 bytes for `MAX_REF` bytes.
const LZF_MAX_RATIO: usize = MAX_REF.div_ceil(3);

/// LZF compression (the liblzf format Redis uses): literal runs of up to
/// 32 bytes and back references of 3 to 264 bytes within 8 KB, found
/// through a hash of the next three bytes. Returns `None` when the output
/// would exceed `out_max` bytes.
pub fn lzf_compress(input: &[u8], out_max: usize) -> Option<Vec<u8>> {
    let n = input.len();
    if n == 0 {
        return None;
    }
    let mut htab = vec![0usize; HSIZE];
    let mut out: Vec<u8> = Vec::with_capacity(out_max.min(n + n / 16 + 64));
    // Position of the current literal run's length byte.
    let mut lit = 0usize;
    out.push(0);
    let mut ip = 0usize;
    let first = |i: usize| ((input[i] as u32) << 8) | input[i + 1] as u32;
    let next = |v: u32, i: usize| (v << 8) | input[i + 2] as u32;
    let idx =
        |h: u32| (((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5))) as usize) & (HSIZE - 1);
    let mut hval = if n >= 2 { first(0) } else { 0 };
    while ip + 2 < n {
        hval = next(hval, ip);
        let slot = idx(hval);
        let reference = htab[slot];
        htab[slot] = ip + 1; // stored +1 so 0 means "empty"
        let matched = reference > 0 && {
            let r = reference - 1;
            let off = ip - r - 1;
            r < ip
                && off < MAX_OFF
                && r + 2 < n
                && input[r] == input[ip]
                && input[r + 1] == input[ip + 1]
                && input[r + 2] == input[ip + 2]
        };
        if matched {
            let r = reference - 1;
            let off = ip - r - 1;
            let mut len = 2usize;
            let maxlen = (n - ip - len).min(MAX_REF);
            // Finish the literal run first.
            if lit == 0 {
                out.pop();
            } else {
                let li = out.len() - lit - 1;
                out[li] = (lit - 1) as u8;
            }
            if out.len() + 3 + 1 > out_max {
                return None;
            }
            loop {
                len += 1;
                if len >= maxlen || input[r + len] != input[ip + len] {
                    break;
                }
            }
            len -= 2;
            ip += 1;
            if len < 7 {
                out.push(((off >> 8) + (len << 5)) as u8);
            } else {
                out.push(((off >> 8) + (7 << 5)) as u8);
                out.push((len - 7) as u8);
            }
            out.push(off as u8);
            lit = 0;
            out.push(0);
            ip += len + 1;
            if ip + 2 >= n {
                break;
            }
            // Hash the positions inside the match (liblzf's fast mode
            // re-hashes the last two).
            ip -= 2;
            hval = first(ip);
            hval = next(hval, ip);
            htab[idx(hval)] = ip + 1;
            ip += 1;
            hval = next(hval, ip);
            htab[idx(hval)] = ip + 1;
            ip += 1;
        } else {
            if out.len() >= out_max {
                return None;
            }
            lit += 1;
            out.push(input[ip]);
            ip += 1;
            if lit == MAX_LIT {
                let li = out.len() - lit - 1;
                out[li] = (MAX_LIT - 1) as u8;
                lit = 0;
                out.push(0);
            }
        }
    }
    if out.len() + 3 > out_max {
        return None;
    }
    while ip < n {
        lit += 1;
        out.push(input[ip]);
        ip += 1;
        if lit == MAX_LIT {
            let li = out.len() - lit - 1;
            out[li] = (MAX_LIT - 1) as u8;
            lit = 0;
            out.push(0);
        }
    }
    if lit == 0 {
        out.pop();
    } else {
        let li = out.len() - lit - 1;
        out[li] = (lit - 1) as u8;
    }
    if out.len() > out_max {
        return None;
    }
    Some(out)
}

/// LZF decompression; `None` for damaged input, output longer than
/// `max`, or when `max` bytes cannot be allocated (the reservation is
/// fallible, bounded by what `input` can expand to).
pub fn lzf_decompress(input: &[u8], max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    out.try_reserve_exact(max.min(input.len().saturating_mul(LZF_MAX_RATIO)))
        .ok()?;
    let mut ip = 0;
    while ip < input.len() {
        let ctrl = input[ip] as usize;
        ip += 1;
        if ctrl < 1 << 5 {
            let len = ctrl + 1;
            let lit = input.get(ip..ip + len)?;
            if out.len() + len > max {
                return None;
            }
            out.extend_from_slice(lit);
            ip += len;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                len += *input.get(ip)? as usize;
                ip += 1;
            }
            len += 2;
            let low = *input.get(ip)? as usize;
            ip += 1;
            let back = ((ctrl & 0x1f) << 8) + low + 1;
            if back > out.len() || out.len() + len > max {
                return None;
            }
            let start = out.len() - back;
            for i in 0..len {
                let b = out[start + i];
                out.push(b);
            }
        }
    }
    Some(out)
}

// ------------------------------------------------------------------- CRC64

/// Redis's CRC-64 (Jones polynomial, reflected, no final xor), continuing
/// from `crc`.
pub fn crc64(mut crc: u64, data: &[u8]) -> u64 {
    const POLY: u64 = 0x95AC_9329_AC4B_C9B5; // 0xad93d23594c935a9 reflected
    for &b in data {
        crc ^= b as u64;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_check_value() {
        assert_eq!(crc64(0, b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn empty_dump_matches_redis() {
        // FUNCTION DUMP with no libraries on redis-server 7.0.15.
        assert_eq!(dump(&[]), b"\n\x00]\x9b\\@\x0f\x7f\xa2\xda");
    }

    #[test]
    fn short_library_matches_redis() {
        let code = b"#!lua name=a\nredis.register_function('b',function()end)\n";
        let expect = b"\xf58#!lua name=a\nredis.register_function('b',function()end)\n\n\x00\xee\xa5\xe1\x0c^\xb9\xbeC";
        assert_eq!(dump(&[code]), expect.to_vec());
        assert_eq!(restore(expect).unwrap(), vec![code.to_vec()]);
    }

    #[test]
    fn lzf_round_trips() {
        let text = b"#!lua name=lib\n".repeat(40);
        let c = lzf_compress(&text, text.len() - 4).expect("compressible");
        assert!(c.len() < text.len() / 4);
        assert_eq!(lzf_decompress(&c, text.len()).unwrap(), text);
        let payload = dump(&[&text]);
        assert_eq!(restore(&payload).unwrap(), vec![text.clone()]);
        assert!(lzf_compress(b"abcdefghijklmnopqrstuvwxyz", 22).is_none());
    }

    #[test]
    fn lzf_random_round_trips() {
        // Inputs with runs, repeats and noise, of every length up to 600.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..600usize {
            let mut v = Vec::with_capacity(len);
            while v.len() < len {
                match rnd() % 4 {
                    0 => v.push((rnd() % 256) as u8),
                    1 => {
                        let n = (rnd() % 40) as usize;
                        let b = (rnd() % 4) as u8 + b'a';
                        v.extend(std::iter::repeat(b).take(n));
                    }
                    _ => {
                        if !v.is_empty() {
                            let from = (rnd() as usize) % v.len();
                            let n = ((rnd() % 300) as usize).min(v.len() - from);
                            let copy = v[from..from + n].to_vec();
                            v.extend_from_slice(&copy);
                        }
                    }
                }
            }
            v.truncate(len);
            if len > 4 {
                if let Some(c) = lzf_compress(&v, len - 4) {
                    assert!(c.len() <= len - 4);
                    assert_eq!(
                        lzf_decompress(&c, len).as_deref(),
                        Some(&v[..]),
                        "len {len}"
                    );
                }
            }
            let payload = dump(&[&v]);
            assert_eq!(restore(&payload), Ok(vec![v.clone()]), "len {len}");
        }
    }

    #[test]
    fn bad_payloads() {
        assert_eq!(restore(b"garbage"), Err(RestoreError::VersionOrChecksum));
        let mut p = dump(&[b"x"]);
        p[1] ^= 1;
        assert_eq!(restore(&p), Err(RestoreError::VersionOrChecksum));
    }

    /// Issue 12: a 26-byte payload whose LZF string claims 2^40 bytes
    /// aborted the server; lengths from a payload never size an
    /// allocation unchecked.
    #[test]
    fn huge_declared_lengths_fail_cleanly() {
        let issue: &[u8] = &[
            0xf5, 0xc3, 0x04, 0x81, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x61,
            0x20, 0x00, 0x0a, 0x00, 0xbd, 0xd0, 0x7f, 0x16, 0x26, 0x59, 0xa9, 0x24,
        ];
        assert_eq!(restore(issue), Err(RestoreError::BadString));
        for ulen in [u64::MAX, 1 << 63, 1 << 40, u32::MAX as u64, 353] {
            let mut body = vec![OPCODE_FUNCTION2, 0xC3, 4, 0x81];
            body.extend_from_slice(&ulen.to_be_bytes());
            body.extend_from_slice(&[0, b'a', 0x20, 0]);
            body.extend_from_slice(&RDB_VERSION.to_le_bytes());
            let crc = crc64(0, &body);
            body.extend_from_slice(&crc.to_le_bytes());
            assert_eq!(restore(&body), Err(RestoreError::BadString), "{ulen}");
        }
        // The bound itself is not a limit on real data: a long run of one
        // byte compresses near the maximum ratio and still loads.
        let text = vec![b'z'; 100_000];
        let payload = dump(&[&text]);
        assert!(payload.len() < 100_000 / 60);
        assert_eq!(restore(&payload), Ok(vec![text]));
        assert_eq!(lzf_decompress(&[0, b'a'], usize::MAX), Some(vec![b'a']));
    }
}
