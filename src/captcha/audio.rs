//! The challenge spoken in Slovenian, the non-visual alternative to the picture (WCAG 1.1.1):
//! one clip a symbol, saying its case ("veliki a", "mali be", "tri"), recorded once with
//! espeak-ng by `scripts/make-captcha-audio` and joined here with pauses over a soft hiss.
//! No speech engine runs on the server.

use std::io::Cursor;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::CaptchaError;

/// The clips' rate, and so the result's: 16 kHz, 8-bit, mono.
const SAMPLE_RATE: u32 = 16_000;
const LEAD_IN_SECONDS: f32 = 0.5;
/// Long enough to type a symbol before the next one starts.
const PAUSE_SECONDS: std::ops::Range<f32> = 0.7..1.0;
/// The hiss's peak, against speech at about 0.2 RMS: mild, some 30 dB under the speech, so it
/// masks none of the (already lifted) faint consonants.
const HISS: f32 = 0.02;

macro_rules! clip {
    ($name:literal) => {
        include_bytes!(concat!("../../static/captcha-audio/", $name, ".wav"))
    };
}

fn clip(symbol: char) -> Option<&'static [u8]> {
    Some(match symbol {
        'a' => clip!("mali-a"),
        'A' => clip!("veliki-a"),
        'b' => clip!("mali-be"),
        'B' => clip!("veliki-be"),
        'e' => clip!("mali-e"),
        'E' => clip!("veliki-e"),
        'f' => clip!("mali-ef"),
        'F' => clip!("veliki-ef"),
        'h' => clip!("mali-ha"),
        'H' => clip!("veliki-ha"),
        'i' => clip!("mali-i"),
        'm' => clip!("mali-em"),
        'M' => clip!("veliki-em"),
        'r' => clip!("mali-er"),
        'R' => clip!("veliki-er"),
        'L' => clip!("veliki-el"),
        '3' => clip!("tri"),
        '4' => clip!("stiri"),
        '7' => clip!("sedem"),
        '9' => clip!("devet"),
        _ => return None,
    })
}

pub fn render_wav(answer: &str, seed: u64) -> Result<Vec<u8>, CaptchaError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut speech = silence(LEAD_IN_SECONDS);
    for symbol in answer.chars() {
        let clip = clip(symbol).ok_or(CaptchaError::Symbol(symbol))?;
        let gain: f32 = rng.random_range(0.8..1.0);
        for sample in hound::WavReader::new(clip)?.samples::<i8>() {
            speech.push(f32::from(sample?) / 128.0 * gain);
        }
        speech.extend(silence(rng.random_range(PAUSE_SECONDS)));
    }

    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 8,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut wav, spec)?;
    let mut hiss = 0.0;
    for sample in speech {
        // White noise through a one-pole low-pass: a soft hiss rather than a harsh one.
        hiss = 0.6 * hiss + 0.4 * rng.random_range(-HISS..HISS);
        let value = ((sample + hiss) * 128.0).round().clamp(-128.0, 127.0);
        writer.write_sample(value as i8)?;
    }
    writer.finalize()?;
    Ok(wav.into_inner())
}

fn silence(seconds: f32) -> Vec<f32> {
    vec![0.0; (seconds * SAMPLE_RATE as f32) as usize]
}

#[cfg(test)]
mod tests {
    use super::super::ALPHABET;
    use super::*;

    fn read(wav: &[u8]) -> (hound::WavSpec, Vec<i8>) {
        let mut reader = hound::WavReader::new(wav).unwrap();
        let samples = reader.samples::<i8>().map(Result::unwrap).collect();
        (reader.spec(), samples)
    }

    #[test]
    fn every_symbol_has_a_clip_that_speaks() {
        for symbol in ALPHABET {
            let clip = clip(symbol).unwrap_or_else(|| panic!("no clip for {symbol}"));
            let (spec, samples) = read(clip);
            assert_eq!(
                (spec.sample_rate, spec.channels, spec.bits_per_sample),
                (SAMPLE_RATE, 1, 8),
                "{symbol}"
            );
            let seconds = samples.len() as f32 / SAMPLE_RATE as f32;
            assert!((0.4..1.5).contains(&seconds), "{symbol}: {seconds} s");
            let loudest = samples.iter().map(|s| s.unsigned_abs()).max().unwrap();
            assert!(loudest > 64, "{symbol} is nearly silent");
        }
    }

    #[test]
    fn the_clips_stay_small() {
        let total: usize = ALPHABET
            .iter()
            .filter_map(|&s| clip(s))
            .map(<[u8]>::len)
            .sum();
        assert!(total < 400_000, "{total} bytes");
    }

    #[test]
    fn speaks_a_wav_that_grows_with_the_answer() {
        let (spec, one) = read(&render_wav("a", 1).unwrap());
        assert_eq!((spec.sample_rate, spec.channels), (SAMPLE_RATE, 1));
        let (_, five) = read(&render_wav("aB3fM", 1).unwrap());
        assert!(five.len() > one.len() + 4 * SAMPLE_RATE as usize);
        // Silence between the words is only the soft hiss.
        let lead_in = &five[..(LEAD_IN_SECONDS * SAMPLE_RATE as f32) as usize];
        assert!(lead_in.iter().all(|s| s.unsigned_abs() < 8));
    }
}
