import { greeting } from './greeting.js';

document.querySelector('#app').textContent = greeting('bundled-app');
