"""发送给领导小组 (e-mail): SMTP settings, composing and sending, the sent log. No Qt.

- settings.py: the SMTP server (settings table keys ``mail.*``) and the password in the
  operating system's keyring, never in the database or a plain file.
- compose.py: default recipients, the template in resources/mail_template.json, the MIME
  message (RFC 2047 subject, RFC 2231 file names), the size limit with zip/split.
- send.py: SMTP with a Chinese message for each failure, ``.eml`` drafts (X-Unsent: 1),
  and the 发送记录 (mail_log) of every attempt.
"""
