const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Markup built by these templates; only `html` produces it, so every interpolation is escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: strings are escaped, `Html` fragments and arrays of them are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const render = (v: unknown): string =>
      v instanceof Html ? v.value : Array.isArray(v) ? v.map(render).join('') : esc(v);
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export interface LayoutOptions {
  title: string;
  /** The instance's display name, shown on every page. */
  instanceName: string;
  nonce: string;
  body: Html;
  /** Extra script, run with the page's CSP nonce. */
  script?: string;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;background:#f3f4f6;color:#111827}
main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.instance{margin:0 0 .25rem;color:#374151;font-size:.95rem}
h1{margin:0 0 1.5rem;font-size:1.5rem}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.6rem;border:1px solid #6b7280;border-radius:.25rem;font-size:1rem}
input:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.7rem;border:0;border-radius:.25rem;background:#1d4ed8;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8;border:1px solid #1d4ed8;margin-top:.75rem}
.error{margin:0 0 1rem;padding:.75rem;border-radius:.25rem;background:#fef2f2;color:#991b1b;border:1px solid #fca5a5}
ul{padding-left:1.25rem}
iframe{display:none}
.hint{margin:.25rem 0 0;color:#374151;font-size:.9rem}
img.qr{display:block;width:12rem;height:12rem;margin:1rem auto}
code,.codes{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.secret{display:block;padding:.5rem;background:#f3f4f6;border-radius:.25rem;word-spacing:.3rem;word-break:break-word}
.codes{columns:2;padding-left:1.5rem}
`;

export function layout(options: LayoutOptions): string {
  return `<!DOCTYPE html>${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} – ${options.instanceName}</title>
        <style nonce="${options.nonce}">
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <main>
          <p class="instance">${options.instanceName}</p>
          ${options.body}
        </main>
        ${
          options.script
            ? html`<script nonce="${options.nonce}">
                ${new Html(options.script)};
              </script>`
            : ''
        }
      </body>
    </html>`.value
  }`;
}
