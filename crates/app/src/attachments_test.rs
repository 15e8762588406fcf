//! Tests of `attachments.rs`: what is accepted is judged from the bytes.

use super::*;

fn upload(name: &str, data: &[u8]) -> Upload {
    Upload {
        file_name: name.into(),
        data: data.to_vec(),
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[test]
fn images_pdfs_and_text_are_accepted_with_the_type_their_bytes_show() {
    let png = check(upload("shot.txt", PNG)).unwrap();
    assert_eq!(png.content_type, "image/png", "the name does not decide the type");
    let pdf = check(upload("r.pdf", b"%PDF-1.7\n1 0 obj\n")).unwrap();
    assert_eq!(pdf.content_type, "application/pdf");
    let log = check(upload("server.log", "línea 1\nlínea 2\n".as_bytes())).unwrap();
    assert_eq!(log.content_type, TEXT);
}

#[test]
fn executables_and_binary_blobs_are_refused() {
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0";
    assert!(matches!(
        check(upload("tool", elf)),
        Err(AppError::Rejected("attachment.type_not_allowed"))
    ));
    assert!(matches!(
        check(upload("x.bin", &[0xff, 0xfe, 0x00, 0x81, 0x90])),
        Err(AppError::Rejected("attachment.type_not_allowed"))
    ));
}

#[test]
fn empty_oversized_and_too_many_files_are_refused() {
    assert!(matches!(
        check(upload("a.txt", b"")),
        Err(AppError::Rejected("attachment.empty"))
    ));
    let big = vec![b'a'; MAX_BYTES + 1];
    assert!(matches!(
        check(upload("a.txt", &big)),
        Err(AppError::Rejected("attachment.too_large"))
    ));
    let many = vec![upload("a.txt", b"a"); MAX_PER_MESSAGE + 1];
    assert!(matches!(
        check_all(many),
        Err(AppError::Rejected("attachment.too_many"))
    ));
}

#[test]
fn names_lose_their_directories_and_control_characters() {
    assert_eq!(clean_name("../../etc/passwd"), "passwd");
    assert_eq!(clean_name("C:\\Users\\ana\\nota\".txt"), "nota.txt");
    assert_eq!(clean_name("a\u{7}b\r\n.txt"), "ab.txt");
    assert_eq!(clean_name(".."), "file");
    assert_eq!(clean_name(""), "file");
    assert_eq!(clean_name(&"x".repeat(500)).chars().count(), MAX_NAME_CHARS);
}
