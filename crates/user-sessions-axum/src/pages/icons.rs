//! Device icons: small inline SVGs, drawn with the text colour (no icon font, no request the
//! pages' Content-Security-Policy would refuse).

use user_sessions::humanize::DeviceClass;

/// The shapes of each icon, on a 24 × 24 grid, stroked.
fn shapes(class: DeviceClass) -> &'static str {
    match class {
        DeviceClass::Phone => {
            r#"<rect x="7" y="2.5" width="10" height="19" rx="2"/><path d="M11 18.5h2"/>"#
        }
        DeviceClass::Tablet => {
            r#"<rect x="4" y="3" width="16" height="18" rx="2"/><path d="M11 18h2"/>"#
        }
        DeviceClass::Desktop => {
            r#"<rect x="3" y="4" width="18" height="12" rx="1.5"/><path d="M8 20h8M12 16v4"/>"#
        }
        DeviceClass::Unknown => {
            r#"<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5v.7M12 17h.01"/>"#
        }
    }
}

/// The icon of a device class: an `<svg>` hidden from assistive technology (the device's
/// name beside it says what it is), classed `us-icon us-icon-{class}`.
pub(crate) fn device_icon(class: DeviceClass) -> String {
    format!(
        "<svg class=\"us-icon us-icon-{}\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\" \
         fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.75\" stroke-linecap=\"round\" \
         stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        class.as_str(),
        shapes(class)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_has_its_own_icon() {
        let classes = [
            DeviceClass::Phone,
            DeviceClass::Tablet,
            DeviceClass::Desktop,
            DeviceClass::Unknown,
        ];
        let icons: std::collections::BTreeSet<String> =
            classes.iter().map(|c| device_icon(*c)).collect();
        assert_eq!(icons.len(), classes.len());
        for class in classes {
            let svg = device_icon(class);
            assert!(svg.contains(&format!("us-icon-{}", class.as_str())));
            assert!(!svg.contains("href"), "no external reference");
        }
    }
}
