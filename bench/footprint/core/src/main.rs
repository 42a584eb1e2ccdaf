//! One StartDeviceAuthorization with the core alone and a hand-written HTTP/1.1 exchange on
//! std::net: the smallest program that uses sso-oidc. `footprint-core http://127.0.0.1:PORT`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use sso_oidc::{Endpoint, StartDeviceAuthorization};

fn main() {
    let url = std::env::args().nth(1).expect("URL of the loopback server");
    let request = StartDeviceAuthorization::builder()
        .client_id("cid-123")
        .client_secret("secret")
        .start_url("https://d-1234567890.awsapps.com/start")
        .build()
        .expect("a valid request")
        .to_http(&Endpoint::from_url(&url).expect("an http URL"));
    let host = request.uri().authority().expect("a host").as_str();
    let mut wire = format!(
        "{} {} HTTP/1.1\r\nhost: {host}\r\n",
        request.method(),
        request.uri().path()
    );
    for (name, value) in request.headers() {
        wire.push_str(&format!("{name}: {}\r\n", value.to_str().expect("text")));
    }
    wire.push_str(&format!("content-length: {}\r\n\r\n", request.body().len()));
    let mut stream = TcpStream::connect(host).expect("a connection");
    stream.write_all(wire.as_bytes()).expect("sent");
    stream.write_all(request.body()).expect("sent");

    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let mut response = http::Response::builder().status(status);
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a header");
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().expect("a length");
        }
        response = response.header(name, value.trim());
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the body");
    let authorization = StartDeviceAuthorization::parse(response.body(body).expect("a response"))
        .expect("a device authorization");
    println!("{}", authorization.user_code);
}
