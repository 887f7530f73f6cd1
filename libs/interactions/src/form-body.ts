import express, { type Request, type Response } from 'express';

const parse = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

/** Reads an `application/x-www-form-urlencoded` body; null when it is missing, too large or malformed. */
export function readForm(req: Request, res: Response): Promise<Record<string, string> | null> {
  return new Promise((resolve) => {
    parse(req, res, (err?: unknown) => {
      if (err || !req.is('application/x-www-form-urlencoded')) {
        resolve(null);
        return;
      }
      const body = req.body as Record<string, unknown>;
      const form: Record<string, string> = {};
      for (const [k, v] of Object.entries(body ?? {})) if (typeof v === 'string') form[k] = v;
      resolve(form);
    });
  });
}
