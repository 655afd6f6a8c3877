//! Reading user-agent client hints (`Sec-CH-UA`, `Sec-CH-UA-Platform`,
//! `Sec-CH-UA-Platform-Version`) as browsers send them.
//!
//! Header values are HTTP structured fields: strings come in double quotes, the brand list is
//! a comma-separated list of quoted strings with parameters (`"Chromium";v="130"`), and
//! brands such as `"Not?A_Brand"` are deliberate noise ("GREASE") to be ignored.

use std::borrow::Cow;

/// The value of a structured-field string header without its quotes and escapes:
/// `"\"Windows\""` → `Windows`. Bare tokens are accepted as they are.
pub(crate) fn unquote(value: &str) -> Cow<'_, str> {
    let value = value.trim();
    match value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) if inner.contains('\\') => Cow::Owned(unescape(inner)),
        Some(inner) => Cow::Borrowed(inner),
        None => Cow::Borrowed(value),
    }
}

fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The brands of a `Sec-CH-UA` header with their `v` parameter (the major version), in order.
pub(crate) fn brand_versions(header: &str) -> Vec<(Cow<'_, str>, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            break;
        }
        let (item, after) = split_item(rest);
        let item = item.trim();
        // The member's value comes before its first parameter (`;v="130"`).
        let name = match item.strip_prefix('"') {
            Some(quoted) => {
                let value = quoted_prefix(quoted);
                if value.contains('\\') {
                    Cow::Owned(unescape(value))
                } else {
                    Cow::Borrowed(value)
                }
            }
            None => Cow::Borrowed(item.split(';').next().unwrap_or_default().trim()),
        };
        // Parameters follow the value: `;v="130"` (a GREASE name may hold a `;` itself,
        // whose bogus parameter is never `v`).
        let version = item
            .split(';')
            .skip(1)
            .find_map(|param| param.trim().strip_prefix("v="))
            .map(|v| unquote(v).into_owned())
            .filter(|v| !v.is_empty());
        if !name.is_empty() {
            out.push((name, version));
        }
        rest = after;
    }
    out
}

/// Splits off one list member: everything up to the first comma outside double quotes.
fn split_item(s: &str) -> (&str, &str) {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => return (&s[..i], &s[i + 1..]),
            _ => {}
        }
    }
    (s, "")
}

/// The content of a quoted string whose opening quote was already removed (up to the closing
/// quote, escapes kept).
fn quoted_prefix(s: &str) -> &str {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return &s[..i],
            _ => {}
        }
    }
    s
}

/// Whether a brand is GREASE noise ("Not A;Brand", "Not)A;Brand", "Not_A Brand", …).
pub(crate) fn is_grease(brand: &str) -> bool {
    brand.starts_with("Not") && brand.ends_with("Brand")
}

/// Our browser name for a `Sec-CH-UA` header, when it names one: the first meaningful brand
/// other than the engine ("Chromium"), else "Chromium" itself.
pub(crate) fn browser_from_brands(header: &str) -> Option<Cow<'static, str>> {
    browser_and_version_from_brands(header).map(|(name, _)| name)
}

/// [`browser_from_brands`] with the version the header gives that brand ("130").
pub(crate) fn browser_and_version_from_brands(
    header: &str,
) -> Option<(Cow<'static, str>, Option<String>)> {
    let mut chromium = None;
    for (brand, version) in brand_versions(header) {
        let name: &'static str = match &*brand {
            b if is_grease(b) => continue,
            // Embedders add these next to the real browser; they name no product.
            "Android WebView" | "HeadlessChrome" => continue,
            "Chromium" => {
                chromium = Some(version);
                continue;
            }
            "Google Chrome" => "Chrome",
            "Microsoft Edge" => "Edge",
            "Opera" | "Opera GX" | "Opera Mobile" => "Opera",
            "YaBrowser" | "Yandex" => "Yandex Browser",
            "Samsung Internet" => "Samsung Internet",
            "Vivaldi" => "Vivaldi",
            "Brave" => "Brave",
            other => return Some((Cow::Owned(other.to_owned()), version)),
        };
        return Some((Cow::Borrowed(name), version));
    }
    chromium.map(|version| (Cow::Borrowed("Chromium"), version))
}

/// The Windows release a `Sec-CH-UA-Platform-Version` value stands for: 13 and above is
/// Windows 11, 1 to 12 Windows 10; 0.1, 0.2 and 0.3 are Windows 7, 8 and 8.1.
pub(crate) fn windows_from_platform_version(version: &str) -> Option<&'static str> {
    let version = unquote(version);
    let mut parts = version.split('.');
    let major: u32 = parts.next()?.trim().parse().ok()?;
    match major {
        0 => match parts.next()?.trim().parse::<u32>().ok()? {
            1 => Some("Windows 7"),
            2 => Some("Windows 8"),
            3 => Some("Windows 8.1"),
            _ => None,
        },
        1..=12 => Some("Windows 10"),
        _ => Some("Windows 11"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquotes() {
        assert_eq!(unquote("\"Windows\""), "Windows");
        assert_eq!(unquote(" \"macOS\" "), "macOS");
        assert_eq!(unquote("Linux"), "Linux");
        assert_eq!(unquote("\"a\\\"b\""), "a\"b");
        assert_eq!(unquote("\""), "\"");
        assert_eq!(unquote(""), "");
    }

    /// The brand names of a header, without parameters.
    fn brands(header: &str) -> Vec<Cow<'_, str>> {
        brand_versions(header)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn parses_brand_lists() {
        let header = r#""Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99""#;
        assert_eq!(brands(header), ["Chromium", "Google Chrome", "Not?A_Brand"]);
        assert_eq!(
            brands(r#""Not;A=Brand";v="8", "Opera";v="100""#),
            ["Not;A=Brand", "Opera"]
        );
        assert_eq!(brands(r#""a,b";v="1""#), ["a,b"]);
        assert_eq!(brands("token;v=1, \"x\""), ["token", "x"]);
        assert!(brands("").is_empty());
        assert!(brands(" , ,").is_empty());
        assert_eq!(brands("\"unterminated"), ["unterminated"]);
    }

    #[test]
    fn names_the_browser() {
        let chrome = r#""Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99""#;
        assert_eq!(browser_from_brands(chrome).as_deref(), Some("Chrome"));
        let edge = r#""Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24""#;
        assert_eq!(browser_from_brands(edge).as_deref(), Some("Edge"));
        let brave = r#""Brave";v="131", "Chromium";v="131", "Not_A Brand";v="24""#;
        assert_eq!(browser_from_brands(brave).as_deref(), Some("Brave"));
        let chromium = r#""Not A(Brand";v="8", "Chromium";v="132""#;
        assert_eq!(browser_from_brands(chromium).as_deref(), Some("Chromium"));
        assert_eq!(browser_from_brands(r#""Not A(Brand";v="8""#), None);
        assert_eq!(browser_from_brands(""), None);
        assert_eq!(
            browser_and_version_from_brands(edge),
            Some((Cow::Borrowed("Edge"), Some("131".to_owned())))
        );
        assert_eq!(
            browser_and_version_from_brands(chromium),
            Some((Cow::Borrowed("Chromium"), Some("132".to_owned())))
        );
    }

    #[test]
    fn windows_versions() {
        assert_eq!(
            windows_from_platform_version("\"15.0.0\""),
            Some("Windows 11")
        );
        assert_eq!(
            windows_from_platform_version("\"13.0.0\""),
            Some("Windows 11")
        );
        assert_eq!(
            windows_from_platform_version("\"12.0.0\""),
            Some("Windows 10")
        );
        assert_eq!(
            windows_from_platform_version("\"10.0.0\""),
            Some("Windows 10")
        );
        assert_eq!(
            windows_from_platform_version("\"1.0.0\""),
            Some("Windows 10")
        );
        assert_eq!(
            windows_from_platform_version("\"0.3.0\""),
            Some("Windows 8.1")
        );
        assert_eq!(
            windows_from_platform_version("\"0.1.0\""),
            Some("Windows 7")
        );
        assert_eq!(windows_from_platform_version("\"0.0.0\""), None);
        assert_eq!(windows_from_platform_version("\"\""), None);
        assert_eq!(windows_from_platform_version("\"x.y\""), None);
    }
}
