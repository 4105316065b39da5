//! A std user's first programs on zerosock, written as that user writes them
//! with `std::net`: text addresses, `?` into `Box<dyn Error>`, `std::io`
//! traits, std's files and fds. It must build with zerosock's default
//! features and `-D warnings` (an unused `use std::io::Read` would fail it),
//! and run to the end: `bash ci/std-user.sh`.

use std::error::Error;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::net::SocketAddr;
use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use zerosock::msg::FdVec;
use zerosock::{Backoff, Errno, TcpListener, TcpStream, UdpSocket, UnixListener, UnixStream};

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

fn udp_echo() -> Result {
    let server = UdpSocket::bind("127.0.0.1:0")?;
    let to = server.local_addr()?;
    let client = UdpSocket::bind(("127.0.0.1", 0))?;
    client.send_to(b"by reference", &to)?;
    client.send_to(b"by value", to)?;
    let mut buf = [0u8; 32];
    let (n, from) = server.recv_from(&mut buf)?;
    assert_eq!((&buf[..n], from), (&b"by reference"[..], client.local_addr()?));
    let (n, _) = server.recv_from(&mut buf)?;
    assert_eq!(&buf[..n], b"by value");
    Ok(())
}

fn tcp_with_std_io() -> Result {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr: SocketAddr = listener.local_addr()?;
    let text = format!("127.0.0.1:{}", addr.port());
    let mut client = TcpStream::connect(text.as_str())?;
    let (mut server, _) = listener.accept()?;
    client.write_all(b"std::io::Write")?; // the trait's method: nothing hides it
    let mut buf = [0u8; 14];
    server.read_exact(&mut buf)?;
    assert_eq!(&buf, b"std::io::Write");

    let again = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    let quick = Backoff { first: Duration::from_millis(1), max_delay: Duration::from_millis(1), max_tries: 2, try_timeout: None };
    let retried = TcpStream::connect_retry(addr, &quick)?;
    // The raw socket address converts into std's with `?`.
    let local: SocketAddr = again.as_socket().local_addr()?.try_into()?;
    assert_eq!(local, again.local_addr()?);
    drop((again, retried));
    Ok(())
}

/// `?` from zerosock's `Error` into a function returning the kernel's `Errno`.
fn errno_function(stream: &TcpStream) -> std::result::Result<(), Errno> {
    stream.send_all(b"x")?;
    Ok(())
}

fn errors_explain_themselves() -> Result {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    drop(listener);
    let err = TcpStream::connect(addr).unwrap_err();
    assert_eq!(err.to_string(), "ECONNREFUSED: Connection refused");
    let boxed: Box<dyn Error> = Box::new(err);
    assert!(boxed.to_string().contains("Connection refused"));
    let io: std::io::Error = err.into();
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);

    let (a, _b) = UnixStream::pair()?;
    let tcp = TcpListener::bind("127.0.0.1:0")?;
    let conn = TcpStream::connect(tcp.local_addr()?)?;
    errno_function(&conn)?;
    drop(a);
    Ok(())
}

fn unix_and_fd_passing() -> Result {
    let dir = std::env::temp_dir().join(format!("zerosock-std-user-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("x.sock");
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    let client = UnixStream::connect(path.as_path())?;
    let (server, _) = listener.accept()?;

    let mut file = File::options().read(true).write(true).create(true).truncate(true).open(dir.join("passed.txt"))?;
    file.write_all(b"through SCM_RIGHTS")?;
    client.send_fds(b"x", &[file.as_fd()])?;

    let mut byte = [0u8; 1];
    let mut fds = FdVec::<1>::new();
    server.recv_fds(&mut byte, &mut fds)?;
    let fd: OwnedFd = fds.pop().ok_or("no fd arrived")?;
    let mut same = File::from(fd);
    same.rewind()?;
    let mut text = String::new();
    same.read_to_string(&mut text)?;
    assert_eq!(text, "through SCM_RIGHTS");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn main() -> Result {
    udp_echo()?;
    tcp_with_std_io()?;
    errors_explain_themselves()?;
    unix_and_fd_passing()?;
    println!("std-user: 4 passed, 0 failed");
    Ok(())
}
