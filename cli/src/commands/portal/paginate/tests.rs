use super::*;
use proptest::prelude::*;

const PAGINATOR: Paginator = Paginator {
    input_token: "nextToken",
    output_token: "nextToken",
    limit_key: "maxResults",
    result_key: "accountList",
};

fn paging(starting_token: Option<&str>, page_size: Option<i64>, max_items: Option<i64>) -> Paging {
    Paging {
        starting_token: starting_token.map(str::to_owned),
        page_size,
        max_items,
    }
}

fn token(value: Option<&str>) -> Token {
    vec![(
        "nextToken".to_owned(),
        value.map_or(Value::Null, Value::from),
    )]
}

fn numbers(range: std::ops::Range<i64>) -> Vec<Document> {
    range.map(Document::from).collect()
}

/// A service with `len` items whose next token is the offset of the next page: the items
/// one command prints, and its `NextToken`.
fn run(len: i64, paging: &Paging) -> Result<(Vec<Document>, Option<String>, usize), CliError> {
    let mut pager = Pager::new(PAGINATOR, paging)?;
    let mut members = Map::new();
    pager.start(&mut members);
    let (mut printed, mut calls) = (Vec::new(), 0);
    loop {
        calls += 1;
        let offset: i64 = members
            .get("nextToken")
            .and_then(Value::as_str)
            .map_or(0, |t| t.parse().unwrap());
        let size = members
            .get("maxResults")
            .and_then(Value::as_i64)
            .unwrap_or(20);
        let end = (offset + size).min(len);
        let next = (end < len).then(|| end.to_string());
        let (items, next) = pager.handle(Some(numbers(offset..end)), next.as_deref())?;
        printed.extend(items.unwrap_or_default());
        match next {
            Next::Page(token) => inject(&mut members, &token),
            Next::Done => break,
        }
    }
    Ok((printed, pager.resume_token().map(str::to_owned), calls))
}

#[test]
fn tokens_are_botocores_byte_for_byte() {
    // From the captured fixtures (list-accounts-max-items-json, -max-items-negative,
    // -max-items-boundary-json).
    let service = "wcoqqcWz589zZfGf4Gz4QZvCB7xuCyus9tlpdNcAoaoQMVw5";
    assert_eq!(
        encode(&token(Some(service)), Some(1)),
        "eyJuZXh0VG9rZW4iOiAid2NvcXFjV3o1ODl6WmZHZjRHejRRWnZDQjd4dUN5dXM5dGxwZE5jQW9hb1FNVnc1IiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMX0="
    );
    assert_eq!(
        encode(&token(None), Some(-1)),
        "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAtMX0="
    );
    assert_eq!(
        encode(&token(Some(service)), None),
        "eyJuZXh0VG9rZW4iOiAid2NvcXFjV3o1ODl6WmZHZjRHejRRWnZDQjd4dUN5dXM5dGxwZE5jQW9hb1FNVnc1In0="
    );
    // json.dumps escapes everything outside ASCII.
    assert_eq!(
        sso_oidc_cli_output::python_json_dumps(&Value::from("é\"\\\n😀").into()),
        r#""\u00e9\"\\\n\ud83d\ude00""#
    );
}

#[test]
fn starting_tokens_are_read_as_botocore_reads_them() {
    let encoded = encode(&token(Some("abc")), Some(2));
    assert_eq!(
        decode(&encoded, "nextToken").unwrap(),
        (token(Some("abc")), 2)
    );
    // Not base64 JSON: the service's own token, or the old TOKEN___N form.
    assert_eq!(decode("abc", "nextToken").unwrap(), (token(Some("abc")), 0));
    assert_eq!(
        decode("abc___3", "nextToken").unwrap(),
        (token(Some("abc")), 3)
    );
    assert_eq!(decode("None___1", "nextToken").unwrap(), (token(None), 1));
    assert_eq!(
        decode("abc___x", "nextToken").unwrap(),
        (token(Some("abc___x")), 0)
    );
    for bad in ["a___b___c", &STANDARD.encode("[1]")] {
        assert_eq!(
            decode(bad, "nextToken").unwrap_err().message(),
            format!("Bad starting token: {bad}")
        );
    }
}

#[test]
fn max_items_cuts_a_page_and_says_where() {
    let (printed, resume, calls) = run(4, &paging(None, Some(2), Some(3))).unwrap();
    assert_eq!(printed, numbers(0..3));
    assert_eq!(calls, 2);
    assert_eq!(
        decode(&resume.unwrap(), "nextToken").unwrap(),
        (token(Some("2")), 1)
    );
    // On a page's end: the service's next token, nothing to skip.
    let (printed, resume, _) = run(4, &paging(None, Some(2), Some(2))).unwrap();
    assert_eq!(printed, numbers(0..2));
    assert_eq!(
        decode(&resume.unwrap(), "nextToken").unwrap(),
        (token(Some("2")), 0)
    );
    // Cut in the first page: no service token yet.
    let (printed, resume, _) = run(4, &paging(None, None, Some(1))).unwrap();
    assert_eq!(printed, numbers(0..1));
    assert_eq!(
        decode(&resume.unwrap(), "nextToken").unwrap(),
        (token(None), 1)
    );
    // Everything fits: no NextToken.
    let (printed, resume, calls) = run(4, &paging(None, Some(3), Some(4))).unwrap();
    assert_eq!((printed, resume, calls), (numbers(0..4), None, 2));
}

#[test]
fn non_positive_max_items_slice_as_python_does() {
    // As captured: list-accounts-max-items-zero and -max-items-negative.
    let (printed, resume, _) = run(4, &paging(None, Some(2), Some(0))).unwrap();
    assert!(printed.is_empty());
    assert_eq!(
        resume.unwrap(),
        "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAwfQ=="
    );
    let (printed, resume, _) = run(4, &paging(None, Some(3), Some(-1))).unwrap();
    assert_eq!(printed, numbers(0..2));
    assert_eq!(
        decode(&resume.unwrap(), "nextToken").unwrap(),
        (token(None), -1)
    );
    assert_eq!(slice_index(3, -5), 0);
    assert_eq!(slice_index(3, 5), 3);
    assert_eq!(slice_index(3, -1), 2);
}

#[test]
fn a_repeated_token_stops_the_run() {
    let mut pager = Pager::new(PAGINATOR, &Paging::default()).unwrap();
    let (_, next) = pager.handle(Some(numbers(0..1)), Some("same")).unwrap();
    assert_eq!(next, Next::Page(token(Some("same"))));
    let error = pager.handle(Some(numbers(1..2)), Some("same")).unwrap_err();
    assert_eq!(
        error.message(),
        "Error during pagination: The same next token was received twice: {'nextToken': 'same'}"
    );
    // An empty token is the last page.
    let mut pager = Pager::new(PAGINATOR, &Paging::default()).unwrap();
    assert_eq!(pager.handle(None, Some("")).unwrap(), (None, Next::Done));
}

#[test]
fn none_is_no_token() {
    let mut members = Map::new();
    members.insert("nextToken".to_owned(), Value::from("old"));
    inject(&mut members, &token(Some("None")));
    assert!(members.is_empty());
    inject(&mut members, &token(Some("t")));
    assert_eq!(members["nextToken"], "t");
    inject(&mut members, &token(None));
    assert!(members.is_empty());
}

proptest! {
    /// Resuming with each NextToken until there is none prints every item once, in order,
    /// at most --max-items at a time, whatever the page size.
    #[test]
    fn resuming_prints_everything_once(len in 0i64..30, size in 1i64..7, max in 1i64..9) {
        let mut all = Vec::new();
        let mut starting = None;
        for _ in 0..=len {
            let (printed, resume, _) =
                run(len, &paging(starting.as_deref(), Some(size), Some(max))).unwrap();
            prop_assert!(i64::try_from(printed.len()).unwrap() <= max);
            all.extend(printed);
            match resume {
                Some(token) => starting = Some(token),
                None => break,
            }
        }
        prop_assert_eq!(all, numbers(0..len));
    }
}
