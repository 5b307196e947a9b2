/**
 * The dashboard's build: a static bundle in web/dist (served by the local gateway at `/`, and from
 * S3 behind CloudFront in AWS). No inline script or style, so the strict Content-Security-Policy of
 * infra/constructs/dashboard.ts holds; no CDN, no remote font.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // Inline assets would be data: URLs, which the CSP does not allow for scripts.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
