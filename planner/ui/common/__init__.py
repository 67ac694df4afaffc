"""Small pieces every feature uses: dates and numbers as shown, colours, icons, avatars,
banners and toasts."""
