import { statusChanged } from '../testing/fixtures';
import { renderConfirmationEmail, renderStatusEmail } from './email-templates';

const change = statusChanged({ statusText: { en: 'We approved your case <b>.', es: 'Aprobamos su caso.' } });
const unsubscribeUrl = 'https://status.example.gov/notifications/unsubscribe?token=abc&x=1';

describe('renderStatusEmail', () => {
  it('tells the English reader the status, the next step and how to stop', () => {
    const email = renderStatusEmail({ language: 'en', change, unsubscribeUrl });
    expect(email.subject).toBe('Update on case IOE0912345678');
    expect(email.text).toContain('We approved your case <b>.');
    expect(email.text).toContain('What happens next:\nWe will mail your card.');
    expect(email.text).toContain(unsubscribeUrl);
    expect(email.text).not.toContain('Aprobamos');
  });

  it('speaks Spanish to Spanish readers', () => {
    const email = renderStatusEmail({ language: 'es', change, unsubscribeUrl });
    expect(email.subject).toBe('Novedades del caso IOE0912345678');
    expect(email.text).toContain('Aprobamos su caso.');
    expect(email.text).toContain('Qué sigue:\nLe enviaremos su tarjeta por correo.');
    expect(email.html).toContain('<html lang="es">');
    expect(email.text).not.toContain('We approved');
  });

  it('escapes texts and links in the HTML part', () => {
    const email = renderStatusEmail({ language: 'en', change, unsubscribeUrl });
    expect(email.html).toContain('We approved your case &lt;b&gt;.');
    expect(email.html).toContain('href="https://status.example.gov/notifications/unsubscribe?token=abc&amp;x=1"');
    expect(email.html).not.toContain('<b>');
  });
});

describe('renderConfirmationEmail', () => {
  const input = { receiptNumber: 'IOE0912345678', code: '012345', confirmUrl: 'https://status.example.gov/notifications/confirm?token=t', expiresInHours: 48 };

  it('carries the code, the link and how long they work, in English', () => {
    const email = renderConfirmationEmail({ ...input, language: 'en' });
    expect(email.subject).toBe('Confirm email updates for case IOE0912345678');
    expect(email.text).toContain('Your confirmation code is:\n012345');
    expect(email.text).toContain(input.confirmUrl);
    expect(email.text).toContain('48 hours');
    expect(email.html).toContain('<strong>012345</strong>');
  });

  it('and in Spanish', () => {
    const email = renderConfirmationEmail({ ...input, language: 'es' });
    expect(email.subject).toBe('Confirme las notificaciones por correo del caso IOE0912345678');
    expect(email.text).toContain('Su código de confirmación es:\n012345');
    expect(email.text).toContain('48 horas');
  });
});
