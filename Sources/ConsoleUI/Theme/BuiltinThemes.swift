/// The themes shipped in `themes/`, compiled in so the console works without the folder.
/// A unit test checks they match the files.
enum BuiltinThemes {
    static let sources: [(name: String, text: String)] = [
        ("dark", #"""
# sioconsole theme "dark" (the default), for terminals with a dark background.
# One role per line: role = colour [on colour] [bold|dim|underline|reverse|italic]
# A colour is 0-255, a name (red, bright-blue, default…), and "N/name" names the colour to
# use on 8/16-colour terminals. Roles left out look like "text". See README, "Themes".
name               = dark
text               = 252/white
dim                = 244/bright-black
border             = 240/bright-black
border.focus       = 75/bright-blue bold
title              = 75/bright-blue bold
header             = 245/bright-black
header.value       = 231/bright-white bold
column             = 110/cyan bold
selection          = 16/black on 75/cyan bold
selection.inactive = 252/white on 238/bright-black
inbound            = 114/green
outbound           = 180/yellow
system             = 140/magenta
ack                = 116/cyan
error              = 203/bright-red bold
success            = 114/bright-green
warning            = 221/bright-yellow bold
chart.in           = 114/green
chart.out          = 180/yellow
keybar             = 250/white on 236/black
keybar.key         = 16/black on 110/cyan bold
prompt             = 231/bright-white bold
"""#),
        ("light", #"""
# sioconsole theme "light": dark text on a light background (set here, so it does not
# depend on the terminal's own colours). Format: see dark.theme and README, "Themes".
name               = light
text               = 235/black on 255/bright-white
dim                = 244/bright-black
border             = 247/bright-black
border.focus       = 25/blue bold
title              = 25/blue bold
header             = 242/bright-black
header.value       = 16/black bold
column             = 24/blue bold
selection          = 231/bright-white on 25/blue bold
selection.inactive = 235/black on 252/white
inbound            = 28/green
outbound           = 130/yellow
system             = 90/magenta
ack                = 30/cyan
error              = 160/red bold
success            = 28/green bold
warning            = 166/red bold
chart.in           = 28/green
chart.out          = 130/yellow
keybar             = 235/black on 252/white
keybar.key         = 231/bright-white on 25/blue bold
prompt             = 16/black bold
"""#),
        ("high-contrast", #"""
# sioconsole theme "high-contrast": pure white and bright yellow on black, bold where it
# matters, no mid greys. Format: see dark.theme and README, "Themes".
name               = high-contrast
text               = 231/bright-white on 16/black
dim                = 231/bright-white
border             = 231/bright-white
border.focus       = 226/bright-yellow bold
title              = 226/bright-yellow bold
header             = 231/bright-white
header.value       = 226/bright-yellow bold
column             = 231/bright-white bold underline
selection          = 16/black on 226/bright-yellow bold
selection.inactive = 16/black on 231/bright-white
inbound            = 46/bright-green bold
outbound           = 51/bright-cyan bold
system             = 213/bright-magenta bold
ack                = 51/bright-cyan
error              = 196/bright-red bold underline
success            = 46/bright-green bold
warning            = 226/bright-yellow bold
chart.in           = 46/bright-green
chart.out          = 51/bright-cyan
keybar             = 231/bright-white on 16/black
keybar.key         = 16/black on 231/bright-white bold
prompt             = 226/bright-yellow bold
"""#),
    ]
}
