import type { Metadata, Viewport } from 'next';
import { InlineScript } from '@/components/inline-script';
import { Providers } from '@/components/providers';
import { THEME_SCRIPT } from '@/components/theme';
import { cspNonce } from '@/lib/http/page-actor';
import '../(app)/globals.css';

export const metadata: Metadata = {
  title: { default: 'Sign in', template: '%s · Umpire' },
  description: 'SLOs and error budgets, measured not felt.',
  robots: { index: false },
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f6f7f9' },
    { media: '(prefers-color-scheme: dark)', color: '#0f1115' },
  ],
};

/** Sign-in, first-admin setup and password links: no app chrome, nothing to read before signing in. */
export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  const nonce = await cspNonce();
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <InlineScript html={THEME_SCRIPT} nonce={nonce} />
      </head>
      <body>
        <Providers>
          <main id="main" className="page auth-page">
            <div className="auth-brand">
              <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true">
                <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2.2" />
                <path d="M12 12 L12 4 A8 8 0 0 1 19.4 15 Z" fill="currentColor" />
              </svg>
              <span>Umpire</span>
            </div>
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
