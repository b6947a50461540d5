export const placeholder = 'docker-config';
