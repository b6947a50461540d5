export const placeholder = 'ecr';
