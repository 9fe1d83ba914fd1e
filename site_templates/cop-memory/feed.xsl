<?xml version="1.0" encoding="utf-8"?>
<!--
  cop-memory: shows an Atom feed as a readable page when a person opens it in a browser.
  Feed readers ignore it. Browsers that no longer run XSLT show the feed's XML instead.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:a="http://www.w3.org/2005/Atom"
                exclude-result-prefixes="a">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/a:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="a:title"/> (feed)</title>
        <style>
          :root { color-scheme: light dark; --fg: #1d1d1f; --muted: #55575d; --bg: #fff; --line: #d0d3da; --link: #2f3ea8; }
          @media (prefers-color-scheme: dark) {
            :root { --fg: #e6e6ea; --muted: #b4b7c2; --bg: #1e2129; --line: #3b4050; --link: #9fb0ff; }
          }
          body { margin: 0; background: var(--bg); color: var(--fg);
                 font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
          main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
          a { color: var(--link); }
          h1 { font-size: 1.6rem; margin: .8rem 0 .4rem; }
          .about { border: 1px solid var(--line); border-radius: .4rem; padding: .6rem .9rem; }
          .about code { word-break: break-all; }
          ol { list-style: none; padding: 0; }
          li { border-top: 1px solid var(--line); padding: .8rem 0; }
          h2 { font-size: 1.15rem; margin: 0 0 .2rem; }
          .facts, .topics { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
          p { margin: .3rem 0; }
        </style>
      </head>
      <body>
        <main>
          <h1><xsl:value-of select="a:title"/></h1>
          <div class="about">
            <p>This is a <strong>web feed</strong>: copy this page's address into a feed reader to be told when
              something new is recorded. Its address is <code><xsl:value-of select="a:link[@rel='self']/@href"/></code>.</p>
            <p><a href="{a:link[@rel='alternate']/@href}">Read it on the website</a></p>
          </div>
          <p class="facts"><xsl:value-of select="count(a:entry)"/> entries, newest first; last changed
            <xsl:value-of select="substring(a:updated, 1, 10)"/>.</p>
          <ol>
            <xsl:for-each select="a:entry">
              <li>
                <h2><a href="{a:link[@rel='alternate']/@href}"><xsl:value-of select="a:title"/></a></h2>
                <p class="facts">
                  <time datetime="{substring(a:published, 1, 10)}"><xsl:value-of select="substring(a:published, 1, 10)"/></time>
                  <xsl:for-each select="a:category[@label and not(@term = ../a:category[contains(@scheme, 'value-creation')]/@term)]">
                    · <xsl:value-of select="@label"/>
                  </xsl:for-each>
                  · by <xsl:for-each select="a:author"><xsl:value-of select="a:name"/><xsl:if test="position() != last()">, </xsl:if></xsl:for-each>
                </p>
                <p><xsl:value-of select="a:summary"/></p>
                <xsl:if test="a:category[contains(@scheme, 'value-creation')]">
                  <p class="topics">Value: <xsl:for-each select="a:category[contains(@scheme, 'value-creation')]"><xsl:value-of select="@label"/><xsl:if test="position() != last()">, </xsl:if></xsl:for-each></p>
                </xsl:if>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
