/** Tailwind CSS 4 through its PostCSS plugin (configuration lives in app/globals.css). */
const config = {
  plugins: {
    '@tailwindcss/postcss': {},
  },
};

export default config;
