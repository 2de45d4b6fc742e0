//! `cargo xtask shape`: the sizes a newcomer has to read. Prints the largest source files and
//! the longest Rust functions next to the house limits (500 lines a file, 80 a function), and
//! fails with `--check` when product code (not tests) goes over them.
//!
//! Counting is deliberately simple — lines, and braces outside strings, chars and comments —
//! so the figures are reproducible by hand.

use std::path::{Path, PathBuf};

use crate::{root, Result};

const FILE_LIMIT: usize = 500;
const FN_LIMIT: usize = 80;
/// Product code: what ships or builds what ships. Tests are measured but not held to the limits.
const PRODUCT: &[&str] = &[
    "crates/core/src",
    "crates/tenant/src",
    "crates/webhost/src",
    "src-tauri/src",
    "xtask/src",
    "ui/src",
];
const TESTS: &[&str] = &[
    "crates/core/tests",
    "crates/tenant/tests",
    "crates/testkit/src",
    "tests",
];

pub fn run(args: &[String]) -> Result {
    let check = args.iter().any(|a| a == "--check");
    let (product, mut tests) = measure(PRODUCT);
    let (_, more) = measure(TESTS);
    tests.add(more);
    report("Product code", &product, true);
    report("Tests", &tests, false);
    let over = product.files_over() + product.fns_over();
    if check && over > 0 {
        return Err(format!(
            "{over} product file(s)/function(s) over the limits"
        ));
    }
    Ok(())
}

#[derive(Default)]
struct Shape {
    files: Vec<(usize, String)>,
    fns: Vec<(usize, String)>,
    ts_lines: usize,
    rs_lines: usize,
}

impl Shape {
    fn files_over(&self) -> usize {
        self.files.iter().filter(|(n, _)| *n > FILE_LIMIT).count()
    }
    fn fns_over(&self) -> usize {
        self.fns.iter().filter(|(n, _)| *n > FN_LIMIT).count()
    }
    fn add(&mut self, other: Shape) {
        self.files.extend(other.files);
        self.fns.extend(other.fns);
        self.ts_lines += other.ts_lines;
        self.rs_lines += other.rs_lines;
        self.sort();
    }
    fn sort(&mut self) {
        self.files.sort_by(|a, b| b.cmp(a));
        self.fns.sort_by(|a, b| b.cmp(a));
    }
}

/// Test code inside a product folder: `tests.rs`, `fuzz.rs`, `tests/` or `test/` folders and
/// `*.test.ts(x)`.
fn is_test(rel: &str) -> bool {
    let rel = rel.replace('\\', "/");
    rel.split('/')
        .any(|c| matches!(c, "tests" | "test" | "tests.rs" | "fuzz.rs" | "fuzz"))
        || rel.contains(".test.")
}

fn report(title: &str, s: &Shape, limits: bool) {
    let goal = |n: usize, limit: usize| {
        if limits && n > limit {
            format!("  over {limit}")
        } else {
            String::new()
        }
    };
    println!(
        "== {title}: {} lines of Rust, {} of TypeScript",
        s.rs_lines, s.ts_lines
    );
    println!("   files over {FILE_LIMIT} lines: {}", s.files_over());
    for (n, p) in s.files.iter().take(5) {
        println!("   {n:>5}  {p}{}", goal(*n, FILE_LIMIT));
    }
    println!("   Rust functions over {FN_LIMIT} lines: {}", s.fns_over());
    for (n, p) in s.fns.iter().take(8) {
        println!("   {n:>5}  {p}{}", goal(*n, FN_LIMIT));
    }
}

/// `(product, tests)` measured under `dirs`.
fn measure(dirs: &[&str]) -> (Shape, Shape) {
    let root = root();
    let (mut product, mut tests) = (Shape::default(), Shape::default());
    for dir in dirs {
        for path in walk(&root.join(dir)) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let rel = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let shape = if is_test(&rel) {
                &mut tests
            } else {
                &mut product
            };
            let lines = text.lines().count();
            if rel.ends_with(".rs") {
                shape.rs_lines += lines;
                for (n, name) in functions(&text) {
                    shape.fns.push((n, format!("{rel}::{name}")));
                }
            } else {
                shape.ts_lines += lines;
            }
            shape.files.push((lines, rel));
        }
    }
    product.sort();
    tests.sort();
    (product, tests)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            // Generated TypeScript and dependencies are nobody's reading.
            if !matches!(
                name.as_str(),
                "node_modules" | "target" | "bindings" | "generated"
            ) {
                out.extend(walk(&path));
            }
        } else if [".rs", ".ts", ".tsx"].iter().any(|e| name.ends_with(e)) {
            out.push(path);
        }
    }
    out
}

/// `(lines, name)` of every `fn` with a body, from its `fn` line to its closing brace.
fn functions(text: &str) -> Vec<(usize, String)> {
    let code = strip(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let mut depth = 0i64;
        let mut opened = false;
        for (j, l) in lines.iter().enumerate().skip(i) {
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened && depth == 0 => break,
                    _ => {}
                }
            }
            if !opened && l.trim_end().ends_with(';') {
                break;
            }
            if opened && depth <= 0 {
                out.push((j - i + 1, name));
                break;
            }
        }
    }
    out
}

fn fn_name(line: &str) -> Option<String> {
    let t = line.trim_start();
    let mut words = t.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if w == "fn" {
            let name: String = words
                .next()?
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            return (!name.is_empty()).then_some(name);
        }
        let modifier = w.starts_with("pub")
            || matches!(
                w,
                "async" | "const" | "unsafe" | "extern" | "\"C\"" | "default"
            );
        if !modifier {
            return None;
        }
    }
    None
}

/// The text with comments, strings and char literals blanked, newlines kept, so braces count.
fn strip(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                if b[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == '"' || (c == 'r' && matches!(next, Some('"') | Some('#'))) {
            i = skip_string(&b, i, &mut out);
        } else if c == '\'' && b.get(i + 2) == Some(&'\'') {
            i += 3;
        } else if c == '\'' && next == Some('\\') {
            // Past the backslash and the escaped char, which may itself be a quote.
            i += 3;
            while i < b.len() && b[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Skips a plain or raw string starting at `i`; returns the index after it.
fn skip_string(b: &[char], mut i: usize, out: &mut String) -> usize {
    let mut hashes = 0;
    let raw = b[i] == 'r';
    if raw {
        i += 1;
        while b.get(i) == Some(&'#') {
            hashes += 1;
            i += 1;
        }
        if b.get(i) != Some(&'"') {
            // An identifier starting with r (`r#type` or just `return`), not a string.
            out.push('r');
            return i - hashes;
        }
    }
    i += 1;
    while i < b.len() {
        match b[i] {
            '\n' => out.push('\n'),
            '\\' if !raw => i += 1,
            '"' if (1..=hashes).all(|k| b.get(i + k) == Some(&'#')) => return i + 1 + hashes,
            _ => {}
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_a_function_to_its_closing_brace_ignoring_braces_in_strings_and_comments() {
        let src = "pub async fn a() {\n    let s = \"}\"; // }\n    if x { y() }\n}\nfn b();\nfn c() { }\n";
        assert_eq!(functions(src), vec![(4, "a".into()), (1, "c".into())]);
    }

    #[test]
    fn raw_strings_and_chars_do_not_confuse_the_count() {
        let src = "fn a() {\n    let r = r#\"{\"#;\n    let c = '{';\n    let e = '\\'';\n}\n";
        assert_eq!(functions(src), vec![(5, "a".into())]);
    }

    #[test]
    fn test_code_inside_product_folders_is_measured_as_tests() {
        assert!(is_test("crates/core/src/journal/tests.rs"));
        assert!(is_test("crates/core/src/fuzz/parsers.rs"));
        assert!(is_test("ui/src/tests/roles.test.tsx"));
        assert!(!is_test("crates/core/src/roles/activation.rs"));
        assert!(!is_test("ui/src/screens/Roles.tsx"));
    }
}
