import { render } from 'preact';
import { App } from './app.js';
import { absorbTokenLink, completeSignIn } from './auth.js';
import { loadConfig } from './config.js';
import './styles.css';

async function start() {
  absorbTokenLink();
  const config = await loadConfig();
  if (config.auth) {
    try {
      await completeSignIn(config.auth);
    } catch (error) {
      console.error('sign-in failed', error);
    }
  }
  const root = document.getElementById('app');
  if (root) render(<App config={config} />, root);
}

void start();
