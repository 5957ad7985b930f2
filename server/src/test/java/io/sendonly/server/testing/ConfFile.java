package io.sendonly.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Node;

/** Edits one XML file of a test server's conf/ in place, by XPath: the shipped file with a test's few changes. */
public final class ConfFile {
    private final Path file;
    private final Document document;

    private ConfFile(Path file) {
        this.file = file;
        try {
            this.document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot parse " + file, e);
        }
    }

    public static ConfFile of(Path file) {
        return new ConfFile(file);
    }

    /** Sets the text of the element at {@code xpath}, creating the last step as a child when it is missing. */
    public ConfFile set(String xpath, String value) {
        Node node = find(xpath);
        if (node == null) {
            int slash = xpath.lastIndexOf('/');
            Node parent = find(xpath.substring(0, slash));
            if (parent == null) {
                throw new IllegalArgumentException(file + ": no element " + xpath.substring(0, slash));
            }
            node = parent.appendChild(document.createElement(xpath.substring(slash + 1)));
        }
        node.setTextContent(value);
        return this;
    }

    public void save() {
        try {
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(document), new StreamResult(file.toFile()));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write " + file, e);
        }
    }

    private Node find(String xpath) {
        try {
            return (Node) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODE);
        } catch (Exception e) {
            throw new IllegalArgumentException(xpath, e);
        }
    }

    public static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
