//! The minijinja filters, rendering templates the way an application's session list does.
#![cfg(feature = "minijinja")]

mod humanize_support;

use minijinja::{Environment, UndefinedBehavior, context};
use user_sessions::ClientHints;
use user_sessions::humanize::{GeoIp, register_filters};

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 10_3 like Mac OS X) \
                      AppleWebKit/603.1.30 (KHTML, like Gecko) Version/10.0 Mobile/14E277 \
                      Safari/602.1";
const WINDOWS_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                              (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

fn env_with_geoip() -> Environment<'static> {
    let mut env = Environment::new();
    let geoip = GeoIp::from_bytes(humanize_support::city_db()).expect("valid database");
    register_filters(&mut env, Some(geoip));
    env
}

#[test]
fn renders_a_session_list() {
    let env = env_with_geoip();
    let sessions = vec![
        context! { user_agent => IPHONE, ip => "81.2.69.142" },
        context! { user_agent => WINDOWS_CHROME, ip => "145.131.1.2" },
        context! { user_agent => "curl/8.5.0", ip => "89.160.20.112" },
        context! { user_agent => (), ip => "127.0.0.1" },
        context! {},
    ];
    let template = "{% for s in sessions %}\
                    [{{ s.user_agent|device }}|{{ s.user_agent|browser }}|\
                    {{ s.user_agent|platform }}|{{ s.ip|location }}|{{ s.ip|city }}|\
                    {{ s.ip|country }}]\n\
                    {% endfor %}";
    let out = env
        .render_str(template, context! { sessions })
        .expect("renders");
    assert_eq!(
        out,
        "[Safari on iPhone|Safari|iPhone|London, United Kingdom|London|United Kingdom]\n\
         [Chrome on Windows|Chrome|Windows|Zwolle, The Netherlands|Zwolle|The Netherlands]\n\
         [curl|curl||Sweden||Sweden]\n\
         [|||||]\n\
         [|||||]\n"
    );
}

#[test]
fn unknown_values_work_with_default_and_tests() {
    let env = env_with_geoip();
    let out = env
        .render_str(
            "{{ ua|device|default('Unknown device') }}; \
             {{ ip|location|default('Unknown location') }}; \
             {% if ua|device %}known{% else %}unknown{% endif %}; \
             {{ missing|device|default('?') }}; {{ 42|device|default('?') }}",
            context! { ua => "", ip => "10.0.0.1" },
        )
        .expect("renders");
    assert_eq!(out, "Unknown device; Unknown location; unknown; ?; ?");
}

#[test]
fn strict_undefined_with_default() {
    let mut env = env_with_geoip();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let out = env
        .render_str(
            "{{ ua|device|default('') }}/{{ ip|location|default('') }}",
            context! { ua => (), ip => () },
        )
        .expect("filters accept none");
    assert_eq!(out, "/");
}

#[test]
fn client_hints_and_languages() {
    let env = env_with_geoip();
    let hints = ClientHints {
        brands: Some(r#""Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24""#.into()),
        mobile: Some(false),
        platform: Some("\"Windows\"".into()),
        platform_version: Some("\"15.0.0\"".into()),
    };
    let hints = context! {
        brands => hints.brands,
        mobile => hints.mobile,
        platform => hints.platform,
        platform_version => hints.platform_version,
    };
    let out = env
        .render_str(
            "{{ ua|device(hints) }}; {{ ua|platform(hints) }}; {{ ua|device(none) }}; \
             {{ ip|location('de') }}; {{ ip|country('ja') }}; \
             {{ ip|city('es-ES,es;q=0.9') }}; {{ ip|location('nl') }}",
            context! { ua => WINDOWS_CHROME, hints, ip => "81.2.69.142" },
        )
        .expect("renders");
    assert_eq!(
        out,
        "Chrome on Windows 11; Windows 11; Chrome on Windows; \
         London, Vereinigtes Königreich; イギリス; Londres; London, United Kingdom"
    );
}

#[test]
fn without_a_database_locations_are_unknown() {
    let mut env = Environment::new();
    register_filters(&mut env, None);
    let out = env
        .render_str(
            "[{{ ip|location }}][{{ ip|city }}][{{ ip|country }}][{{ ua|device }}]",
            context! { ip => "81.2.69.142", ua => IPHONE },
        )
        .expect("renders");
    assert_eq!(out, "[][][][Safari on iPhone]");
}

#[test]
fn html_is_escaped() {
    let env = env_with_geoip();
    let tmpl = env
        .template_from_named_str("list.html", "{{ ua|device }}")
        .expect("compiles");
    let out = tmpl
        .render(context! { ua => "<script>alert(1)</script>/1.0" })
        .expect("renders");
    assert!(!out.contains('<'), "{out}");
}
