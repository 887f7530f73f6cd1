import QRCode from 'qrcode';

/** A QR code as a `data:` URL SVG image (the pages' CSP allows `img-src data:`; nothing leaves the server). */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
