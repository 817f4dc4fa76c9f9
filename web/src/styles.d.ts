// The console imports its style sheet for its effect (Vite bundles it); the compiler only needs to
// know that such a module exists.
declare module '*.css';
