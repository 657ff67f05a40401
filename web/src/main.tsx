import { render } from 'preact';
import { App } from './app';
import { pathToHash } from './routing';
import './styles.css';

pathToHash();
const root = document.getElementById('app');
if (root) render(<App />, root);
