//! RFC 9421's own examples (Appendix B.2 test request; §4.3 proxy signature), for the
//! algorithms supported here: ed25519, rsa-pss-sha512 and rsa-v1_5-sha256.

use http::Method;

use super::super::SignatureError;
use super::super::rfc9421::parse_label;
use super::Req;
use super::keys::ED25519_PUBLIC_PEM;

/// RFC 9421 B.1.2 `test-key-rsa-pss`, public half.
const RSA_PSS_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----";

/// RFC 9421 B.1.1 `test-key-rsa`, public half, in its PKCS#1 form as the RFC prints it.
const RSA_PKCS1_PUBLIC_PEM: &str = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAhAKYdtoeoy8zcAcR874L8cnZxKzAGwd7v36APp7Pv6Q2jdsPBRrw
WEBnez6d0UDKDwGbc6nxfEXAy5mbhgajzrw3MOEt8uA5txSKobBpKDeBLOsdJKFq
MGmXCQvEG7YemcxDTRPxAleIAgYYRjTSd/QBwVW9OwNFhekro3RtlinV0a75jfZg
kne/YiktSvLG34lw2zqXBDTC5NHROUqGTlML4PlNZS5Ri2U4aCNx2rUPRcKIlE0P
uKxI4T+HIaFpv8+rdV6eUgOrB2xeI1dSFFn/nnv5OoZJEIB+VmuKn3DCUcCZSFlQ
PSXSfBDiUGhwOw76WuSSsf1D4b/vLoJ10wIDAQAB
-----END RSA PUBLIC KEY-----";

const CONTENT_DIGEST: &str = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

/// The Appendix B.2 test request, with one signature attached.
fn test_request(url: &str, input: &str, signature: &str) -> Req {
    let mut req = Req::new(Method::POST, url, br#"{"hello": "world"}"#);
    req.set("host", "example.com");
    req.set("date", "Tue, 20 Apr 2021 02:07:55 GMT");
    req.set("content-type", "application/json");
    req.set("content-digest", CONTENT_DIGEST);
    req.set("content-length", "18");
    req.set("signature-input", input);
    req.set("signature", signature);
    req
}

#[test]
fn b_2_6_ed25519_base_matches_and_verifies() {
    let req = test_request(
        "https://example.com/foo?param=Value&Pet=dog",
        r#"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#,
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
    );
    let sig = parse_label(&req.incoming(), "sig-b26").unwrap();
    let expected = concat!(
        "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n",
        "\"@method\": POST\n",
        "\"@path\": /foo\n",
        "\"@authority\": example.com\n",
        "\"content-type\": application/json\n",
        "\"content-length\": 18\n",
        "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"",
    );
    assert_eq!(sig.base, expected);
    assert_eq!(
        (sig.created, sig.key_id.as_str()),
        (1618884473, "test-key-ed25519")
    );
    sig.verify(ED25519_PUBLIC_PEM).unwrap();

    let mut tampered = req;
    tampered.set("content-length", "19");
    let sig = parse_label(&tampered.incoming(), "sig-b26").unwrap();
    assert!(matches!(
        sig.verify(ED25519_PUBLIC_PEM),
        Err(SignatureError::Invalid)
    ));
}

#[test]
fn b_2_1_minimal_rsa_pss_signature_verifies() {
    let req = test_request(
        "https://example.com/foo?param=Value&Pet=dog",
        r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
        "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:",
    );
    let sig = parse_label(&req.incoming(), "sig-b21").unwrap();
    assert_eq!(
        sig.base,
        r#""@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#
    );
    sig.verify(RSA_PSS_PUBLIC_PEM).unwrap();
}

#[test]
fn b_2_3_full_coverage_rsa_pss_signature_verifies() {
    let req = test_request(
        "https://example.com/foo?param=Value&Pet=dog",
        r#"sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#,
        "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:",
    );
    let sig = parse_label(&req.incoming(), "sig-b23").unwrap();
    assert!(sig.base.contains("\"@query\": ?param=Value&Pet=dog\n"));
    assert!(
        sig.base
            .contains(&format!("\"content-digest\": {CONTENT_DIGEST}\n"))
    );
    sig.verify(RSA_PSS_PUBLIC_PEM).unwrap();
}

#[test]
fn section_4_3_proxy_rsa_v1_5_signature_verifies_with_the_pkcs1_key() {
    let mut req = test_request(
        "https://origin.host.internal.example/foo?param=Value&Pet=dog",
        r#"proxy_sig=("@method" "@authority" "@path" "content-digest" "content-type" "content-length" "forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256";expires=1618884540"#,
        "proxy_sig=:S6ZzPXSdAMOPjN/6KXfXWNO/f7V6cHm7BXYUh3YD/fRad4BCaRZxP+JH+8XY1I6+8Cy+CM5g92iHgxtRPz+MjniOaYmdkDcnL9cCpXJleXsOckpURl49GwiyUpZ10KHgOEe11sx3G2gxI8S0jnxQB+Pu68U9vVcasqOWAEObtNKKZd8tSFu7LB5YAv0RAGhB8tmpv7sFnIm9y+7X5kXQfi8NMaZaA8i2ZHwpBdg7a6CMfwnnrtflzvZdXAsD3LH2TwevU+/PBPv0B6NMNk93wUs/vfJvye+YuI87HU38lZHowtznbLVdp770I6VHR6WfgS9ddzirrswsE1w5o0LV/g==:",
    );
    req.set("forwarded", "for=192.0.2.123;host=example.com;proto=https");
    let sig = parse_label(&req.incoming(), "proxy_sig").unwrap();
    assert!(sig.base.starts_with(
        "\"@method\": POST\n\"@authority\": origin.host.internal.example\n\"@path\": /foo\n"
    ));
    assert_eq!(sig.expires, Some(1618884540));
    sig.verify(RSA_PKCS1_PUBLIC_PEM).unwrap();
    assert!(matches!(
        sig.verify(RSA_PSS_PUBLIC_PEM),
        Err(SignatureError::Invalid)
    ));
}

#[test]
fn b_2_2_query_param_component_is_reported_unsupported() {
    let req = test_request(
        "https://example.com/foo?param=Value&Pet=dog",
        r#"sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
        "sig-b22=:AAAA:",
    );
    let err = parse_label(&req.incoming(), "sig-b22").unwrap_err();
    assert!(matches!(err, SignatureError::Unsupported(_)), "{err}");
}
