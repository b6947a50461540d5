export const placeholder = 'sigv4';
