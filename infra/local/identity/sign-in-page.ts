/** The local sign-in page (Cognito's managed login in AWS): e-mail and password, nothing else. */

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function signInPage(input: {
  action?: string;
  clientName?: string;
  email?: string;
  error?: string;
}): string {
  const form = input.action
    ? `<form method="post" action="${escapeHtml(input.action)}">
  <label for="email">E-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}">
  <label for="password">Mật khẩu / Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Đăng nhập / Sign in</button>
</form>`
    : '';
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập / Sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}input,button{padding:.5rem;font:inherit}[role=alert]{color:#a00}</style>
</head>
<body>
<main>
<h1>Đăng nhập / Sign in</h1>
${input.clientName ? `<p>${escapeHtml(input.clientName)} · quota-campaign (local)</p>` : ''}
${input.error ? `<p role="alert">${escapeHtml(input.error)}</p>` : ''}
${form}
</main>
</body>
</html>`;
}
