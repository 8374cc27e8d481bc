//! The challenge as a picture: dark glyphs on a light ground, on a shared baseline so the case
//! shows, each turned a little, the whole bent by a gentle wave and crossed by two thin curves.
//! The contrast stays high (over 11:1), since people with low vision use it too.

use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, Outline, OutlineCurve, Point, point};
use ab_glyph_rasterizer::Rasterizer;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::CaptchaError;

const WIDTH: u32 = 200;
const HEIGHT: u32 = 70;

/// DejaVu Sans Bold cut down to the alphabet by `scripts/make-captcha-font`.
static FONT: LazyLock<Option<FontRef<'static>>> = LazyLock::new(|| {
    FontRef::try_from_slice(include_bytes!(
        "../../static/captcha-font/DejaVuSans-Bold-captcha.ttf"
    ))
    .ok()
});

const PAPER: [f32; 3] = [247.0, 246.0, 242.0];
/// The site's dark blue.
const INK: [f32; 3] = [7.0, 49.0, 79.0];
/// Lighter than the ink, so the glyphs stay in front of the lines.
const LINE: [f32; 3] = [60.0, 80.0, 100.0];
/// Room kept free at the left and right edges.
const MARGIN: f32 = 10.0;

pub fn render_png(answer: &str, seed: u64) -> Result<Vec<u8>, CaptchaError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let wave = Wave::random(&mut rng);
    let text = draw_text(answer, &wave, &mut rng)?;
    let lines = draw_lines(&mut rng);
    let mut pixels = Vec::with_capacity(text.len() * 3);
    for (text, line) in text.iter().zip(&lines) {
        let grain: f32 = rng.random_range(-8.0..8.0);
        for channel in 0..3 {
            let paper = PAPER[channel] + grain;
            let value = mix(mix(paper, LINE[channel], *line), INK[channel], *text);
            pixels.push(value.round().clamp(0.0, 255.0) as u8);
        }
    }
    Ok(encode(&pixels)?)
}

fn mix(under: f32, over: f32, coverage: f32) -> f32 {
    under + (over - under) * coverage
}

fn encode(pixels: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(png)
}

/// A sine displacement of both axes, the same for every glyph, so they bend together.
struct Wave {
    amplitude: Point,
    frequency: Point,
    phase: Point,
}

impl Wave {
    fn random(rng: &mut StdRng) -> Self {
        Self {
            amplitude: point(rng.random_range(1.5..3.0), rng.random_range(2.0..4.0)),
            frequency: point(rng.random_range(0.06..0.1), rng.random_range(0.03..0.05)),
            phase: point(
                rng.random_range(0.0..std::f32::consts::TAU),
                rng.random_range(0.0..std::f32::consts::TAU),
            ),
        }
    }

    fn bend(&self, p: Point) -> Point {
        let x = p.x + self.amplitude.x * (p.y * self.frequency.x + self.phase.x).sin();
        let y = p.y + self.amplitude.y * (p.x * self.frequency.y + self.phase.y).sin();
        inside(point(x, y))
    }
}

fn draw_text(answer: &str, wave: &Wave, rng: &mut StdRng) -> Result<Vec<f32>, CaptchaError> {
    let font = FONT.as_ref().ok_or(CaptchaError::Font)?;
    let outline = |symbol: char| {
        font.outline(font.glyph_id(symbol))
            .ok_or(CaptchaError::Symbol(symbol))
    };
    // ab_glyph keeps an outline's top in `bounds.min.y`, in font units growing upwards.
    let cap_height = outline('H')?.bounds.min.y;
    let glyphs = answer
        .chars()
        .map(|symbol| Ok((outline(symbol)?, rng.random_range(4.0..8.0))))
        .collect::<Result<Vec<(Outline, f32)>, CaptchaError>>()?;
    // One size for all glyphs, so capitals stand taller than small letters.
    let mut scale = rng.random_range(39.0..44.0) / font.units_per_em().unwrap_or(2048.0);
    let width_of = |outline: &Outline| outline.bounds.max.x - outline.bounds.min.x;
    let natural_width: f32 = glyphs
        .iter()
        .map(|(outline, gap)| width_of(outline) * scale + gap)
        .sum();
    // Wide answers ("MMMMM") shrink to fit rather than leave the canvas.
    let fit = ((WIDTH as f32 - 2.0 * MARGIN) / natural_width).min(1.0);
    scale *= fit;
    let baseline = (HEIGHT as f32 + cap_height * scale) / 2.0;

    let mut rasterizer = Rasterizer::new(WIDTH as usize, HEIGHT as usize);
    let mut left = (WIDTH as f32 - natural_width * fit) / 2.0;
    for (outline, gap) in &glyphs {
        let width = width_of(outline) * scale;
        // Each glyph turns about the middle of its capital height and may sit a little off the
        // baseline.
        let pivot = point(
            (outline.bounds.min.x + outline.bounds.max.x) / 2.0,
            cap_height / 2.0,
        );
        let centre = point(
            left + width / 2.0,
            baseline - cap_height / 2.0 * scale + rng.random_range(-2.5..2.5),
        );
        let (sin, cos) = rng.random_range(-0.25f32..0.25).sin_cos();
        let place = |p: &Point| {
            // Font units grow upwards, pixels downwards.
            let dx = (p.x - pivot.x) * scale;
            let dy = (pivot.y - p.y) * scale;
            wave.bend(point(
                centre.x + dx * cos - dy * sin,
                centre.y + dx * sin + dy * cos,
            ))
        };
        for curve in &outline.curves {
            match curve {
                OutlineCurve::Line(a, b) => rasterizer.draw_line(place(a), place(b)),
                OutlineCurve::Quad(a, b, c) => rasterizer.draw_quad(place(a), place(b), place(c)),
                OutlineCurve::Cubic(a, b, c, d) => {
                    rasterizer.draw_cubic(place(a), place(b), place(c), place(d));
                }
            }
        }
        left += width + gap * fit;
    }
    Ok(coverage(&rasterizer))
}

/// Two thin curves from edge to edge, each a cubic Bézier stroked as a closed polygon.
fn draw_lines(rng: &mut StdRng) -> Vec<f32> {
    const STEPS: usize = 48;
    let mut rasterizer = Rasterizer::new(WIDTH as usize, HEIGHT as usize);
    let (width, height) = (WIDTH as f32, HEIGHT as f32);
    for _ in 0..2 {
        let mut y = || rng.random_range(12.0..height - 12.0);
        let controls = [
            point(1.0, y()),
            point(width / 3.0, y()),
            point(width * 2.0 / 3.0, y()),
            point(width - 2.0, y()),
        ];
        let half_thickness = rng.random_range(0.7..1.1);
        let spine: Vec<Point> = (0..=STEPS)
            .map(|step| bezier(&controls, step as f32 / STEPS as f32))
            .collect();
        let spine = &spine;
        // The spine moved sideways along its normal, out on one side and back on the other.
        let side = move |sign: f32| {
            spine.iter().enumerate().map(move |(index, p)| {
                let (before, after) = (
                    spine[index.saturating_sub(1)],
                    spine[(index + 1).min(STEPS)],
                );
                let (dx, dy) = (after.x - before.x, after.y - before.y);
                let shift = sign * half_thickness / dx.hypot(dy).max(f32::EPSILON);
                inside(point(p.x - dy * shift, p.y + dx * shift))
            })
        };
        let outline: Vec<Point> = side(1.0).chain(side(-1.0).rev()).collect();
        for (index, from) in outline.iter().enumerate() {
            rasterizer.draw_line(*from, outline[(index + 1) % outline.len()]);
        }
    }
    coverage(&rasterizer)
}

fn bezier(controls: &[Point; 4], t: f32) -> Point {
    let u = 1.0 - t;
    let weights = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    let along = |axis: fn(&Point) -> f32| -> f32 {
        controls.iter().zip(weights).map(|(p, w)| axis(p) * w).sum()
    };
    point(along(|p| p.x), along(|p| p.y))
}

/// `p` moved inside the canvas: the rasterizer wraps what lies beyond an edge onto the next row.
fn inside(p: Point) -> Point {
    point(
        p.x.clamp(1.0, WIDTH as f32 - 2.0),
        p.y.clamp(0.0, HEIGHT as f32),
    )
}

fn coverage(rasterizer: &Rasterizer) -> Vec<f32> {
    let mut coverage = vec![0.0; (WIDTH * HEIGHT) as usize];
    rasterizer.for_each_pixel(|index, alpha| coverage[index] = alpha.min(1.0));
    coverage
}

#[cfg(test)]
mod tests {
    use super::super::ALPHABET;
    use super::*;

    #[test]
    fn every_symbol_has_a_glyph() {
        for symbol in ALPHABET {
            assert_ne!(
                FONT.as_ref().unwrap().glyph_id(symbol).0,
                0,
                "no glyph for {symbol}"
            );
        }
    }

    #[test]
    fn draws_a_png_of_the_expected_size() {
        let png = render_png("aB3fM", 7).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
    }

    #[test]
    fn the_same_seed_draws_the_same_picture() {
        assert_eq!(
            render_png("aB3fM", 7).unwrap(),
            render_png("aB3fM", 7).unwrap()
        );
        assert_ne!(
            render_png("aB3fM", 7).unwrap(),
            render_png("aB3fM", 8).unwrap()
        );
    }

    #[test]
    fn the_glyphs_are_dark_and_the_ground_light() {
        let png = render_png("MMMMM", 1).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        let darkest = pixels.iter().min().unwrap();
        let lightest = pixels.iter().max().unwrap();
        assert!(*darkest < 60 && *lightest > 230, "{darkest}..{lightest}");
        // Ink on a fair part of the picture: the text is drawn, not lost off the canvas.
        let inked = pixels.chunks(3).filter(|rgb| rgb[2] < 120).count();
        assert!(inked > (WIDTH * HEIGHT / 10) as usize, "{inked}");
    }
}
